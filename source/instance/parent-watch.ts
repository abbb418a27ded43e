/**
 * `MPM_MON_PARENT_PID=<pid>`: the daemon stops once that process is gone. Test runs set it so that no
 * daemon outlives the run that started it, even one detached by `mpm-mon start` or left behind by a
 * failed test. The check runs on an unref'd timer: it never keeps the daemon alive by itself.
 */
import { isAlive } from './alive.js';

export const PARENT_PID_ENV = 'MPM_MON_PARENT_PID';

/** The PID to watch, or null when the variable is unset; anything else is a clear error. */
export function parentPidFrom(env: NodeJS.ProcessEnv): number | null {
  const text = env[PARENT_PID_ENV];
  if (text === undefined || text === '') return null;
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0)
    throw new Error(
      `${PARENT_PID_ENV} is ${JSON.stringify(text)}: expected the PID of a running process (a positive whole number); unset it to run without a parent`,
    );
  return pid;
}

/** Calls `onGone` once when `pid` no longer exists; returns a function that stops watching. */
export function watchParent(pid: number, onGone: () => void, everyMs = 500): () => void {
  const timer = setInterval(() => {
    if (isAlive(pid)) return;
    clearInterval(timer);
    onGone();
  }, everyMs).unref();
  return () => clearInterval(timer);
}
