/** Whether a PID names a process: the one test, shared by the daemon's instance code and the hook's discovery. */

/** True when a process with this PID exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  // process.kill(0) and negative PIDs signal process groups: never let them through.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
