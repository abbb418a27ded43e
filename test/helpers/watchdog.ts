/**
 * No third-party server a test starts (redis-server, haproxy) outlives the test process, even one
 * killed with SIGKILL: each is registered with one watchdog process per test process
 * (watchdog-main.ts), which kills what is still registered once this process is gone. Daemons need
 * none of this: they watch MPM_MON_PARENT_PID themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./watchdog-main.ts', import.meta.url));

let watchdog: ChildProcess | null = null;

function orders(): ChildProcess {
  if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null) return watchdog;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, String(process.pid)], {
    stdio: ['pipe', 'ignore', 'inherit'],
    // Its own process group: a signal to the test's group does not take it before it has cleaned up.
    detached: true,
  });
  // Neither the process nor the pipe keeps the test process alive; the pipe ends when it exits.
  child.unref();
  (child.stdin as Socket).unref();
  child.stdin.on('error', () => undefined);
  watchdog = child;
  return child;
}

/** Kills `pid` (and removes `dir`) once this process is gone; returns the function that forgets it. */
export function guardServer(pid: number, dir?: string): () => void {
  orders().stdin!.write(`${JSON.stringify({ watch: pid, ...(dir ? { dir } : {}) })}\n`);
  return () => {
    if (watchdog?.stdin?.writable) watchdog.stdin.write(`${JSON.stringify({ forget: pid })}\n`);
  };
}

/** The watchdog's pid (for the test that proves it works). */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}
