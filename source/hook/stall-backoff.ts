/**
 * After a POST to a daemon times out (it accepts connections and does not answer: stopped, or stuck),
 * the hooks that follow spool at once instead of each waiting out the timeout: Claude Code runs a
 * turn's hooks one after the other, so 17 timeouts of 200 ms were 3–6 s on a session. The mark names
 * the daemon (pid and port) so a new daemon is posted to at once; it ends after STALL_BACKOFF_MS, or
 * sooner when the daemon, running again, removes it (it drains the spool every few seconds).
 */
// Named imports: a namespace import becomes a copy of every fs export in the hook's CommonJS bundle.
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { readSmallFile } from '../instance/safe-file.js';

export const STALL_BACKOFF_MS = 10_000;
const MAX_BYTES = 200;

export interface StallMark {
  pid: number;
  port: number;
  /** Epoch milliseconds after which the daemon is tried again. */
  until: number;
}

export interface DaemonKey {
  pid: number;
  port: number;
}

/** The mark in `text`, or null when it is not one (a torn or foreign file is no mark). */
export function parseStallMark(text: string): StallMark | null {
  try {
    const value = JSON.parse(text) as Partial<StallMark>;
    const { pid, port, until } = value;
    return Number.isSafeInteger(pid) && Number.isSafeInteger(port) && Number.isFinite(until)
      ? { pid: pid!, port: port!, until: until! }
      : null;
  } catch {
    return null;
  }
}

/** Whether to skip posting to `daemon` now and spool straight away. */
export function isBackingOff(mark: StallMark | null, daemon: DaemonKey, now: number): boolean {
  return mark !== null && mark.pid === daemon.pid && mark.port === daemon.port && now < mark.until;
}

export function stallMarkFor(daemon: DaemonKey, now: number): StallMark {
  return { pid: daemon.pid, port: daemon.port, until: now + STALL_BACKOFF_MS };
}

export function readStallMark(path: string): StallMark | null {
  const read = readSmallFile(path, MAX_BYTES);
  return read.kind === 'text' ? parseStallMark(read.text) : null;
}

/** Best effort, never follows a link, never throws: a mark that cannot be written costs a timeout. */
export function writeStallMark(path: string, mark: StallMark): void {
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = constants;
  try {
    const fd = openSync(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK, 0o600);
    try {
      if (fstatSync(fd).isFile()) writeSync(fd, JSON.stringify(mark));
    } finally {
      closeSync(fd);
    }
  } catch {
    // The next hook tries the daemon again.
  }
}
