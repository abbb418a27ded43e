/**
 * One daemon per MPM_MON_HOME. The PID file is created atomically (a complete temp file hard-linked
 * into place, so nobody ever reads half a file, and EEXIST says someone holds it). A file left by a
 * daemon that is gone (dead, zombie, PID reused, unreadable) is taken over; the removal happens only
 * under a takeover mutex and only if the file still holds what was judged stale, so that two daemons
 * starting at once over a stale file cannot both win.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { parsePidFile, type PidFileData } from '../protocol/pidfile.js';
import {
  DaemonConflictError,
  PidFileLostError,
  StaleProcessError,
  StateDirError,
  errnoOf,
  type StaleKind,
} from '../errors/daemon-errors.js';
import type { Logger } from './logger-types.js';
import { isAlive } from './alive.js';
import { createFileExclusive, writeFileAtomic } from './atomic-write.js';
import { isZombie, readProcessStartTime } from './process-info.js';
import { PID_FILE_MAX_BYTES, readSmallFile } from './safe-file.js';

export type PidFileState = 'absent' | 'live' | 'stale-dead' | 'stale-zombie' | 'stale-reused' | 'invalid';

export interface PidFileInspection {
  state: PidFileState;
  path: string;
  /** The PID the file names (null when absent or invalid). */
  pid: number | null;
  /** The full metadata; null for a legacy bare-number file, an invalid file or no file. */
  data: PidFileData | null;
  legacy: boolean;
  /** The start time the file recorded and the one the OS reports now (for reuse diagnosis). */
  recordedStartTime: string | null;
  actualStartTime: string | null;
  /** One sentence saying why the file is in this state. */
  reason: string;
  /** The file's text as read (compared before a takeover removes it). */
  raw: string | null;
}

export interface PidFileLock {
  readonly path: string;
  readonly data: PidFileData;
  /** Atomically rewrites the file with these fields changed (e.g. the port once bound). */
  update(partial: Partial<PidFileData>): Promise<void>;
  /** Removes the file if it is still ours (same pid and start time); true when it removed it. */
  release(): Promise<boolean>;
  /** The same, synchronously: for a forced exit, which cannot wait. */
  releaseSync(): boolean;
}

export interface AcquireOptions {
  /** How long a takeover mutex may exist before it is judged abandoned. */
  takeoverStaleMs?: number;
  /** Overall bound on waiting for another process's takeover to finish. */
  timeoutMs?: number;
  now?: () => number;
}

export function staleKindOf(state: PidFileState): StaleKind | null {
  if (state === 'stale-dead') return 'dead';
  if (state === 'stale-zombie') return 'zombie';
  if (state === 'stale-reused') return 'reused';
  return null;
}

/** The structured error describing a stale inspection (for `doctor` and logs); null if not stale. */
export function staleProcessErrorFor(inspection: PidFileInspection): StaleProcessError | null {
  const kind = staleKindOf(inspection.state);
  if (kind === null || inspection.pid === null) return null;
  return new StaleProcessError({
    kind,
    pid: inspection.pid,
    pidFile: inspection.path,
    recordedStartTime: inspection.recordedStartTime,
    actualStartTime: inspection.actualStartTime,
  });
}

/**
 * The PID file's text; null when there is none. A link, a FIFO, a folder or an oversized file reads
 * as empty: not a PID file of ours, so it is invalid and taken over.
 */
function readText(path: string): string | null {
  const read = readSmallFile(path, PID_FILE_MAX_BYTES);
  if (read.kind === 'missing') return null;
  return read.kind === 'text' ? read.text : '';
}

/** Classifies a PID file from its text, asking the OS about the PID it names. */
export async function classifyPidFile(path: string, raw: string | null): Promise<PidFileInspection> {
  const base = { path, raw, recordedStartTime: null, actualStartTime: null };
  if (raw === null)
    return { ...base, state: 'absent', pid: null, data: null, legacy: false, reason: 'no PID file' };
  const parsed = parsePidFile(raw);
  if (parsed.kind === 'invalid')
    return { ...base, state: 'invalid', pid: null, data: null, legacy: false, reason: parsed.reason };

  const pid = parsed.kind === 'full' ? parsed.data.pid : parsed.pid;
  const data = parsed.kind === 'full' ? parsed.data : null;
  const legacy = parsed.kind === 'legacy';
  const recordedStartTime = data?.processStartTime ?? null;
  const facts = { path, raw, pid, data, legacy, recordedStartTime };

  if (!isAlive(pid))
    return {
      ...facts,
      state: 'stale-dead',
      actualStartTime: null,
      reason: `pid ${pid} is not running`,
    };
  if (await isZombie(pid))
    return {
      ...facts,
      state: 'stale-zombie',
      actualStartTime: null,
      reason: `pid ${pid} has exited and is a zombie`,
    };
  const actualStartTime = await readProcessStartTime(pid);
  if (recordedStartTime !== null && actualStartTime !== null && recordedStartTime !== actualStartTime)
    return {
      ...facts,
      state: 'stale-reused',
      actualStartTime,
      reason: `pid ${pid} started at ${actualStartTime}, not at ${recordedStartTime}: the PID was reused`,
    };
  // The file names this very process but was not written by it (it has no lock yet, or the start time
  // is unknown): a daemon that had our PID before us, e.g. PID 1 in a restarted container.
  if (pid === process.pid && (recordedStartTime === null || actualStartTime === null))
    return {
      ...facts,
      state: 'stale-reused',
      actualStartTime,
      reason: `pid ${pid} is this process, which did not write the file: the PID was reused`,
    };
  return {
    ...facts,
    state: 'live',
    actualStartTime,
    reason: legacy ? `pid ${pid} is running (legacy PID file)` : `pid ${pid} is running`,
  };
}

/** What the PID file at `path` says, without changing anything. `doctor` and `status` use it. */
export async function inspectPidFile(path: string): Promise<PidFileInspection> {
  const read = readSmallFile(path, PID_FILE_MAX_BYTES);
  if (read.kind === 'error')
    return {
      state: 'invalid',
      path,
      raw: null,
      pid: null,
      data: null,
      legacy: false,
      recordedStartTime: null,
      actualStartTime: null,
      reason: `the PID file cannot be read: ${read.message}`,
    };
  return classifyPidFile(path, read.kind === 'text' ? read.text : null);
}

function serialize(data: PidFileData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

interface MutexContent {
  pid: number;
  createdAt: number;
}

/**
 * A short-lived lock next to the PID file, held only while a stale file is removed and replaced.
 * Abandoned when its holder is dead or it is older than `staleMs` (a holder keeps it for milliseconds).
 */
function tryTakeoverMutex(
  mutexPath: string,
  staleMs: number,
  now: () => number,
  logger: Logger,
): (() => void) | null {
  const content: MutexContent = { pid: process.pid, createdAt: now() };
  const text = JSON.stringify(content);
  try {
    fs.writeFileSync(mutexPath, text, { flag: 'wx' });
    return () => {
      // Remove only our own mutex: after a forced break, another process may hold a new one.
      if (readText(mutexPath) === text) fs.rmSync(mutexPath, { force: true });
    };
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST')
      throw new StateDirError({ path: mutexPath, operation: 'create', errno: errnoOf(error), cause: error });
  }
  const held = readText(mutexPath);
  if (held === null) return null; // released just now: the caller retries
  let holder: Partial<MutexContent> = {};
  try {
    holder = JSON.parse(held) as Partial<MutexContent>;
  } catch {
    // half-written or garbage: judged by age below
  }
  const holderDead = typeof holder.pid === 'number' && !isAlive(holder.pid);
  let age: number;
  if (typeof holder.createdAt === 'number') age = now() - holder.createdAt;
  else {
    try {
      age = Date.now() - fs.statSync(mutexPath).mtimeMs;
    } catch {
      return null;
    }
  }
  if (holderDead || age > staleMs) {
    // Break it only if it is still the same abandoned mutex.
    if (readText(mutexPath) === held) {
      fs.rmSync(mutexPath, { force: true });
      logger.warn('removed an abandoned PID file takeover lock', {
        path: mutexPath,
        holderPid: holder.pid ?? null,
        reason: holderDead ? 'its holder is not running' : `older than ${staleMs} ms`,
      });
    }
  }
  return null;
}

/** Runs `work` now; its result or its throw becomes the promise's outcome. */
const settle = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function conflictFrom(inspection: PidFileInspection): DaemonConflictError {
  const { data } = inspection;
  return new DaemonConflictError({
    pid: inspection.pid ?? 0,
    port: data?.port ?? null,
    host: data?.host ?? null,
    startedAt: data?.startedAt ?? null,
    version: data?.version ?? null,
    pidFile: inspection.path,
  });
}

function makeLock(path: string, initial: PidFileData): PidFileLock {
  let current = initial;
  let released = false;
  const isStillOurs = (): boolean => {
    const raw = readText(path);
    if (raw === null) return false;
    const parsed = parsePidFile(raw);
    return (
      parsed.kind === 'full' &&
      parsed.data.pid === current.pid &&
      parsed.data.processStartTime === current.processStartTime
    );
  };
  return {
    path,
    get data() {
      return current;
    },
    update(partial) {
      return settle(() => {
        if (released || !isStillOurs()) throw new PidFileLostError({ path, pid: current.pid });
        const next = { ...current, ...partial, pid: current.pid, processStartTime: current.processStartTime };
        writeFileAtomic(path, serialize(next));
        current = next;
      });
    },
    release() {
      return settle(() => this.releaseSync());
    },
    releaseSync() {
      if (released) return false;
      released = true;
      if (!isStillOurs()) return false;
      fs.rmSync(path, { force: true });
      return true;
    },
  };
}

/**
 * Takes the PID file for this daemon. Throws DaemonConflictError when a live daemon holds it (its file
 * and process are left alone); removes a stale or invalid file, logging why, and takes it.
 * `data.pid` and `data.processStartTime` must describe the calling process.
 */
export async function acquirePidFile(
  path: string,
  data: PidFileData,
  logger: Logger,
  options: AcquireOptions = {},
): Promise<PidFileLock> {
  const now = options.now ?? Date.now;
  const staleMs = options.takeoverStaleMs ?? 5000;
  const deadline = now() + (options.timeoutMs ?? 10_000);
  const text = serialize(data);
  const mutexPath = `${path}.takeover`;
  try {
    fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StateDirError({
      path: dirname(path),
      operation: 'create',
      errno: errnoOf(error),
      cause: error,
    });
  }

  for (let attempt = 0; ; attempt++) {
    if (attempt > 0 && now() > deadline)
      throw new StateDirError({
        path,
        operation: 'take over (timed out waiting for another process)',
        errno: 'ETIMEDOUT',
      });
    if (createFileExclusive(path, text)) return makeLock(path, data);
    const seen = await inspectPidFile(path);
    if (seen.state === 'live') throw conflictFrom(seen);
    if (seen.state !== 'absent') {
      const releaseMutex = tryTakeoverMutex(mutexPath, staleMs, now, logger);
      if (releaseMutex) {
        try {
          // Judge again under the mutex: a competitor may have replaced the stale file meanwhile.
          const again = await inspectPidFile(path);
          if (again.state === 'live') throw conflictFrom(again);
          if (again.state !== 'absent' && again.raw === seen.raw) {
            fs.rmSync(path, { force: true });
            logger.warn('removed a stale PID file', {
              path,
              state: again.state,
              pid: again.pid,
              reason: again.reason,
            });
          }
          if (createFileExclusive(path, text)) return makeLock(path, data);
        } finally {
          releaseMutex();
        }
        continue;
      }
    }
    await sleep(Math.min(5 + attempt * 5, 50));
  }
}

/** Removes a stale or invalid PID file (for `doctor --fix`); never a live one. Returns what it found. */
export async function removeStalePidFile(path: string, logger: Logger): Promise<PidFileInspection> {
  const seen = await inspectPidFile(path);
  if (seen.state === 'live' || seen.state === 'absent') return seen;
  const releaseMutex = tryTakeoverMutex(`${path}.takeover`, 5000, Date.now, logger);
  if (!releaseMutex) return seen;
  try {
    const again = await inspectPidFile(path);
    if (again.state !== 'live' && again.state !== 'absent' && again.raw === seen.raw) {
      fs.rmSync(path, { force: true });
      logger.warn('removed a stale PID file', {
        path,
        state: again.state,
        pid: again.pid,
        reason: again.reason,
      });
    }
    return again;
  } finally {
    releaseMutex();
  }
}

/** The PidFileData for the calling process (the port is filled in by `update` once bound). */
export async function pidFileDataForThisProcess(input: {
  port: number;
  host: string;
  version: string;
  startedAt?: Date;
}): Promise<PidFileData> {
  return {
    pid: process.pid,
    port: input.port,
    host: input.host,
    startedAt: (input.startedAt ?? new Date()).toISOString(),
    processStartTime: await readProcessStartTime(process.pid),
    version: input.version,
    nodeVersion: process.version,
    argv: process.argv.slice(1),
  };
}
