/**
 * The hook spool (`$MPM_MON_HOME/spool/`): where `mpm-mon hook` leaves a payload the daemon could not
 * take, until the daemon drains it. Imported by the hook command, so: node builtins only.
 *
 * Layout
 * - One file per payload, named `<13-digit epoch ms>-<20-digit hrtime ns>-<pid>-<payload bytes>.json`.
 *   Names sort in arrival order (the hrtime part only breaks ties within a millisecond), and the
 *   payload size is in the name so bounds are checked with one `readdir`, no `stat` per file.
 * - Content: one JSON document and a newline:
 *   `{"v":1,"source":"hook","spooledAt":"<ISO>","occurredAt":"<ISO>","truncated":[…],"payload":"<text>"}`.
 *   `occurredAt` is when the hook read the payload, `truncated` (only when something was cut) what the
 *   hook cut to fit events.maxBytes; files written before `occurredAt` existed are read with
 *   `spooledAt` in its place. The payload is the scrubbed text the hook would have posted: the daemon
 *   takes its content id from the scrubbed payload, so a late live copy is still recognised.
 * - Written as `<name>.tmp` (mode 0600, fsynced) and renamed: a reader never sees half a file.
 * - `errors.log`: one JSON line per problem (`{time, reason, size, ...}`); never payload text, which
 *   may hold secrets. Rotated to `errors.log.1` past 1 MiB.
 * - `bad/`: files the drain could not use (not JSON, wrong shape, `.tmp` left by a crash), kept for
 *   inspection rather than deleted.
 */
import { constants as fsConstants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../instance/logger-types.js';

export const SPOOL_FORMAT_VERSION = 1;
export const SPOOL_LIMITS = { maxFiles: 10_000, maxBytes: 64 * 1024 * 1024 } as const;
export const ERRORS_LOG = 'errors.log';
export const BAD_DIR = 'bad';
/** A `.tmp` older than this was left by a crashed writer. */
export const STALE_TMP_MS = 60_000;
const ERRORS_LOG_MAX_BYTES = 1024 * 1024;
const NAME_PATTERN = /^(\d{13})-(\d{20})-(\d+)-(\d+)\.json$/;

export interface SpoolLimits {
  maxFiles: number;
  maxBytes: number;
}

export interface SpoolEntry {
  name: string;
  path: string;
  /** Epoch ms the payload was spooled (from the name). */
  spooledAtMs: number;
  /** Payload size in bytes (from the name). */
  bytes: number;
}

/** What a spool file says besides the payload, as written (the daemon checks it). */
export interface SpoolProvenance {
  occurredAt?: unknown;
  truncated?: unknown;
}

export type SpoolWriteResult =
  | { ok: true; entry: SpoolEntry }
  | { ok: false; reason: 'spool_full'; files: number; bytes: number; limits: SpoolLimits }
  | { ok: false; reason: 'write_failed'; code: string };

export interface SpoolErrorRecord {
  /** Short machine-readable cause, e.g. `invalid_json`, `rejected`, `spool_full`. */
  reason: string;
  /** Size in bytes of the payload concerned (never the payload itself). */
  size?: number;
  [field: string]: string | number | boolean | null | undefined;
}

export type DeliverOutcome = 'ok' | 'retry' | 'reject';

export interface DrainResult {
  delivered: number;
  rejected: number;
  /** Entries still in the spool (a `retry` stops the drain and keeps the rest in order). */
  remaining: number;
  /** Files moved to `bad/` during this drain. */
  garbage: number;
}

export interface SpoolStats {
  files: number;
  bytes: number;
  /** ISO time of the oldest spooled payload, null when the spool is empty. */
  oldest: string | null;
  /** Lines in errors.log (the current file, not the rotated one). */
  errors: number;
  /** Files set aside in `bad/`. */
  bad: number;
}

export function spoolFileName(nowMs: number, size: number): string {
  const ms = String(Math.max(0, Math.floor(nowMs))).padStart(13, '0');
  const tie = process.hrtime.bigint().toString().padStart(20, '0');
  return `${ms}-${tie}-${process.pid}-${size}.json`;
}

export function parseSpoolFileName(name: string): { spooledAtMs: number; bytes: number } | null {
  const match = NAME_PATTERN.exec(name);
  if (!match) return null;
  return { spooledAtMs: Number(match[1]), bytes: Number(match[4]) };
}

/** Serialised form of one spooled payload (see the layout above). */
export function encodeSpoolFile(raw: string, nowMs: number, provenance: SpoolProvenance = {}): string {
  const spooledAt = new Date(nowMs).toISOString();
  const header = {
    v: SPOOL_FORMAT_VERSION,
    source: 'hook',
    spooledAt,
    occurredAt: provenance.occurredAt ?? spooledAt,
    ...(provenance.truncated === undefined ? {} : { truncated: provenance.truncated }),
    payload: raw,
  };
  return `${JSON.stringify(header)}\n`;
}

/** The payload text of a spool file and what it says about it, or why it is unusable. */
export function decodeSpoolFile(
  text: string,
): ({ ok: true; payload: string } & SpoolProvenance) | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON (truncated or corrupted)' };
  }
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'not a JSON object' };
  const record = value as { v?: unknown; payload?: unknown; spooledAt?: unknown } & SpoolProvenance;
  if (record.v !== SPOOL_FORMAT_VERSION)
    return { ok: false, reason: `unknown format version ${JSON.stringify(record.v)}` };
  if (typeof record.payload !== 'string') return { ok: false, reason: '"payload" is not a string' };
  try {
    JSON.parse(record.payload);
  } catch {
    return { ok: false, reason: 'the payload is not JSON' };
  }
  return {
    ok: true,
    payload: record.payload,
    occurredAt: record.occurredAt ?? record.spooledAt,
    truncated: record.truncated,
  };
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
}

async function readNames(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
}

function entriesFromNames(dir: string, names: string[]): SpoolEntry[] {
  const entries: SpoolEntry[] = [];
  for (const name of names) {
    const parsed = parseSpoolFileName(name);
    if (parsed) entries.push({ name, path: join(dir, name), ...parsed });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Spooled payloads, oldest first. A missing spool directory is an empty spool. */
export async function listSpool(dir: string): Promise<SpoolEntry[]> {
  return entriesFromNames(dir, await readNames(dir));
}

/** Writes one payload to the spool unless that would pass the bounds. Never throws. */
export async function spoolPayload(
  dir: string,
  raw: string,
  now: () => number = Date.now,
  limits: SpoolLimits = SPOOL_LIMITS,
  provenance: SpoolProvenance = {},
): Promise<SpoolWriteResult> {
  const size = Buffer.byteLength(raw, 'utf8');
  try {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    const entries = await listSpool(dir);
    const bytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
    if (entries.length + 1 > limits.maxFiles || bytes + size > limits.maxBytes)
      return { ok: false, reason: 'spool_full', files: entries.length, bytes, limits };
    const nowMs = now();
    const name = spoolFileName(nowMs, size);
    const path = join(dir, name);
    const tmp = `${path}.tmp`;
    const handle = await fsp.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(encodeSpoolFile(raw, nowMs, provenance), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, path);
    return { ok: true, entry: { name, path, spooledAtMs: nowMs, bytes: size } };
  } catch (error) {
    return { ok: false, reason: 'write_failed', code: errorCode(error) };
  }
}

/** Appends one line to `errors.log` (rotating past 1 MiB). Never throws: it is the last resort. */
export async function recordSpoolError(
  dir: string,
  record: SpoolErrorRecord,
  now: () => number = Date.now,
): Promise<void> {
  const path = join(dir, ERRORS_LOG);
  const line = `${JSON.stringify({ time: new Date(now()).toISOString(), ...record })}\n`;
  try {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    const size = await fsp.stat(path).then(
      (stat) => stat.size,
      () => 0,
    );
    if (size + line.length > ERRORS_LOG_MAX_BYTES) await fsp.rename(path, `${path}.1`);
    await fsp.appendFile(path, line, { encoding: 'utf8', mode: 0o600 });
  } catch {
    // Nowhere left to report to; the caller must still not fail.
  }
}

async function moveToBad(dir: string, name: string): Promise<boolean> {
  const badDir = join(dir, BAD_DIR);
  try {
    await fsp.mkdir(badDir, { recursive: true, mode: 0o700 });
    // Suffix: a name may come back (same ms, same pid after reuse); never overwrite an earlier one.
    await fsp.rename(join(dir, name), join(badDir, `${name}.${process.hrtime.bigint()}`));
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

type SpoolRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'not-a-file'; what: string };

/** Reads a spool file without following a link nor blocking on a FIFO; only a regular file is read. */
async function readSpoolFile(path: string): Promise<SpoolRead> {
  const { O_RDONLY, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = fsConstants;
  let handle: FileHandle;
  try {
    handle = await fsp.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'not-a-file', what: 'symbolic link' };
    if (code === 'ENXIO') return { kind: 'not-a-file', what: 'socket or device' };
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      return { kind: 'not-a-file', what: stat.isDirectory() ? 'folder' : 'not a regular file' };
    return { kind: 'text', text: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}

/**
 * Garbage goes to `bad/` scrubbed (the drain's `scrub`, the pipeline's scrubber in the daemon), or
 * as its size only: whatever it holds, no secret stays on disk verbatim.
 */
async function setAsideGarbage(
  dir: string,
  name: string,
  text: string,
  scrub: ((text: string) => string) | undefined,
): Promise<boolean> {
  const badDir = join(dir, BAD_DIR);
  await fsp.mkdir(badDir, { recursive: true, mode: 0o700 });
  const target = join(badDir, `${name}.${process.hrtime.bigint()}`);
  const kept = scrub
    ? scrub(text)
    : `${Buffer.byteLength(text, 'utf8')} bytes of garbage; content not kept\n`;
  await fsp.writeFile(target, kept, { flag: 'wx', mode: 0o600 });
  try {
    await fsp.rm(join(dir, name));
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** `.tmp` files older than STALE_TMP_MS: a writer crashed between write and rename. */
async function setAsideStaleTmp(dir: string, names: string[], nowMs: number): Promise<number> {
  let moved = 0;
  for (const name of names.filter((candidate) => candidate.endsWith('.tmp'))) {
    const stat = await fsp.stat(join(dir, name)).catch(() => null);
    if (stat && nowMs - stat.mtimeMs > STALE_TMP_MS && (await moveToBad(dir, name))) moved += 1;
  }
  return moved;
}

export interface DrainOptions {
  logger?: Logger;
  /** Scrubs garbage before it is kept in `bad/`; without it only its size is kept. */
  scrub?: (text: string) => string;
  now?: () => number;
}

/** One pass over the spool; see drainSpool. */
async function drainOnce(
  dir: string,
  deliver: (payload: string, entry: SpoolEntry, provenance: SpoolProvenance) => Promise<DeliverOutcome>,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const now = options.now ?? Date.now;
  const logger = options.logger;
  const names = await readNames(dir);
  const result: DrainResult = { delivered: 0, rejected: 0, remaining: 0, garbage: 0 };
  result.garbage += await setAsideStaleTmp(dir, names, now());
  const entries = entriesFromNames(dir, names);
  for (const [index, entry] of entries.entries()) {
    const read = await readSpoolFile(entry.path);
    if (read.kind === 'missing') continue;
    if (read.kind === 'not-a-file') {
      // A FIFO, a folder or a link under a spool name: never opened for reading, set aside by rename.
      if (await moveToBad(dir, entry.name)) result.garbage += 1;
      logger?.warn('spool entry set aside', { file: entry.name, reason: read.what });
      await recordSpoolError(dir, { reason: 'not_a_file', file: entry.name }, now);
      continue;
    }
    const { text } = read;
    const decoded = decodeSpoolFile(text);
    if (!decoded.ok) {
      if (await setAsideGarbage(dir, entry.name, text, options.scrub)) result.garbage += 1;
      logger?.warn('spool file set aside', { file: entry.name, reason: decoded.reason });
      await recordSpoolError(dir, { reason: 'garbage', size: entry.bytes, file: entry.name }, now);
      continue;
    }
    let outcome: DeliverOutcome;
    try {
      outcome = await deliver(decoded.payload, entry, {
        occurredAt: decoded.occurredAt,
        truncated: decoded.truncated,
      });
    } catch (error) {
      logger?.warn('spool delivery failed; will retry', { file: entry.name, error: String(error) });
      outcome = 'retry';
    }
    if (outcome === 'retry') {
      result.remaining = entries.length - index;
      break;
    }
    await fsp.rm(entry.path, { force: true });
    if (outcome === 'ok') {
      result.delivered += 1;
    } else {
      result.rejected += 1;
      logger?.warn('spooled payload rejected', { file: entry.name, size: entry.bytes });
      await recordSpoolError(dir, { reason: 'rejected_on_drain', size: entry.bytes, file: entry.name }, now);
    }
  }
  if (result.delivered + result.rejected + result.garbage > 0) logger?.info('spool drained', { ...result });
  return result;
}

const drainsInFlight = new Map<string, Promise<DrainResult>>();

/**
 * Hands spooled payloads to `deliver` oldest first. `ok` and `reject` remove the file (`reject` is
 * recorded in errors.log); `retry` stops the drain and leaves that payload and everything after it
 * in place, so order is kept. Unusable files go to `bad/`. `deliver` throwing counts as `retry`.
 * A call while a drain of the same directory is running in this process joins that drain (start-up
 * and periodic drains cannot deliver a payload twice). One daemon owns the spool: other processes
 * must not drain it at the same time.
 */
export function drainSpool(
  dir: string,
  deliver: (payload: string, entry: SpoolEntry, provenance: SpoolProvenance) => Promise<DeliverOutcome>,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const running = drainsInFlight.get(dir);
  if (running) return running;
  const drain = drainOnce(dir, deliver, options).finally(() => drainsInFlight.delete(dir));
  drainsInFlight.set(dir, drain);
  return drain;
}

async function countLines(path: string): Promise<number> {
  try {
    const text = await fsp.readFile(path, 'utf8');
    return text.split('\n').filter((line) => line.trim() !== '').length;
  } catch {
    return 0;
  }
}

/** Figures for `doctor` and `/diagnostics`. A missing spool is an empty one. */
export async function spoolStats(dir: string): Promise<SpoolStats> {
  const entries = await listSpool(dir);
  const first = entries[0];
  return {
    files: entries.length,
    bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
    oldest: first ? new Date(first.spooledAtMs).toISOString() : null,
    errors: await countLines(join(dir, ERRORS_LOG)),
    bad: (await readNames(join(dir, BAD_DIR))).length,
  };
}
