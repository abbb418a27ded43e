/**
 * The daemon's log: JSON lines `{time, level, msg, ...fields}` appended to a file that rotates by size
 * (daemon.log → daemon.log.1 → … → daemon.log.N), and optionally readable lines on stderr. Secrets never
 * reach it: registered strings (the token) and fields named like secrets are replaced. A log call never
 * throws: a full disk or a closed stderr must not take the daemon down.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import type { LogLevel } from '../config/schema.js';
import type { LogFields, Logger } from './logger-types.js';

export const REDACTED = '[REDACTED]';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values are always masked, whatever they hold. */
const SECRET_KEY = /(token|password|passwd|secret|authorization|cookie|api[-_]?key|private[-_]?key)$/i;

export interface LoggerOptions {
  file: string;
  level?: LogLevel;
  stderr?: boolean;
  /** Rotate once the file would grow past this many bytes. */
  maxBytes?: number;
  /** Rotated files kept next to the live one (daemon.log.1 … daemon.log.N). */
  maxFiles?: number;
  /** Strings that must never appear in the log (the token). */
  redact?: string[];
  /** The event scrubber, applied to every message and field (the daemon passes pipeline/scrub). */
  scrub?: <T>(value: T) => T;
  now?: () => Date;
  /** Where readable lines go when `stderr` is true (tests pass their own). */
  stderrWrite?: (line: string) => void;
}

export interface DaemonLogger extends Logger {
  /** Adds a string that must never be written (e.g. the token once it is known). */
  addRedaction(secret: string): void;
  setLevel(level: LogLevel): void;
  /** Lines that could not be written to the file (disk full, permissions). */
  readonly droppedLines: number;
}

/** Replaces every registered secret in `text`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** A JSON-safe copy of `value` with secrets masked; Errors become {name, message, code, stack}. */
export function redactValue(
  value: unknown,
  secrets: readonly string[],
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) {
    const { code } = value as { code?: unknown };
    return redactValue({ name: value.name, message: value.message, code, stack: value.stack }, secrets, seen);
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && item !== null && item !== undefined
        ? REDACTED
        : redactValue(item, secrets, seen);
  }
  return out;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** `HH:MM:SS level message key=value …` (local time), for a human at a terminal. */
export function formatReadable(
  time: Date,
  level: LogLevel,
  message: string,
  fields: Record<string, unknown>,
): string {
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const shown =
        typeof value === 'string'
          ? /^[^\s"=]+$/.test(value)
            ? value
            : JSON.stringify(value)
          : JSON.stringify(value);
      return `${key}=${shown}`;
    });
  return [clock, level.padEnd(5), message, ...pairs].join(' ');
}

/** Shifts daemon.log.(i) → .(i+1), dropping the oldest, then daemon.log → daemon.log.1. */
export function rotateFiles(file: string, maxFiles: number): void {
  if (maxFiles < 1) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.rmSync(`${file}.${maxFiles}`, { force: true });
  for (let index = maxFiles - 1; index >= 1; index--) {
    try {
      fs.renameSync(`${file}.${index}`, `${file}.${index + 1}`);
    } catch {
      // that generation does not exist yet
    }
  }
  fs.renameSync(file, `${file}.1`);
}

let stderrGuarded = false;

/**
 * A write to a closed stderr pipe (the terminal that started the daemon went away) is reported as an
 * 'error' event, which would end the process if nobody listened.
 */
function guardStderr(): void {
  if (stderrGuarded) return;
  stderrGuarded = true;
  process.stderr.on('error', () => {});
}

export function createLogger(options: LoggerOptions): DaemonLogger {
  const { file } = options;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxFiles = options.maxFiles ?? 3;
  const now = options.now ?? (() => new Date());
  if (options.stderr && !options.stderrWrite) guardStderr();
  const writeStderr =
    options.stderrWrite ??
    ((line: string) => {
      process.stderr.write(line);
    });
  // Longest first, so that a secret containing another is replaced whole.
  const secrets: string[] = [];
  const addRedaction = (secret: string) => {
    // Very short strings would mangle ordinary words; a token is 64 characters.
    if (secret.length >= 4 && !secrets.includes(secret)) {
      secrets.push(secret);
      secrets.sort((a, b) => b.length - a.length);
    }
  };
  for (const secret of options.redact ?? []) addRedaction(secret);
  let threshold = LEVEL_RANK[options.level ?? 'info'];
  let droppedLines = 0;
  let size: number | null = null;
  let directoryReady = false;

  const currentSize = (): number => {
    if (size === null) {
      try {
        size = fs.statSync(file).size;
      } catch {
        size = 0;
      }
    }
    return size;
  };

  const appendToFile = (line: string) => {
    try {
      if (!directoryReady) {
        fs.mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        directoryReady = true;
      }
      const bytes = Buffer.byteLength(line);
      if (currentSize() > 0 && currentSize() + bytes > maxBytes) {
        rotateFiles(file, maxFiles);
        size = 0;
      }
      fs.appendFileSync(file, line, { mode: 0o600 });
      size = currentSize() + bytes;
    } catch {
      droppedLines++;
      size = null; // re-read after a failure: a rotation may have half happened
    }
  };

  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < threshold) return;
    try {
      const time = now();
      const scrub = options.scrub ?? (<T>(value: T): T => value);
      const msg = scrub(redactText(String(message), secrets));
      const safeFields = scrub((redactValue(fields ?? {}, secrets) ?? {}) as Record<string, unknown>);
      // time/level/msg come first and a field of the same name cannot overwrite them.
      const { time: _time, level: _level, msg: _msg, ...rest } = safeFields;
      const record = { time: time.toISOString(), level, msg, ...rest };
      appendToFile(`${JSON.stringify(record)}\n`);
      if (options.stderr) {
        try {
          writeStderr(`${formatReadable(time, level, msg, rest)}\n`);
        } catch {
          // a closed stderr is not a reason to fail
        }
      }
    } catch {
      droppedLines++;
    }
  };

  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    addRedaction,
    setLevel(level) {
      threshold = LEVEL_RANK[level];
    },
    get droppedLines() {
      return droppedLines;
    },
  };
}
