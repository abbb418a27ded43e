import { MpmError, errorCodeOf, type PlatformCommands } from './base.js';
import { diskSpaceCommands, perPlatform, showPermissionsCommands } from './platform-commands.js';

export type JournalErrorCode =
  | 'JOURNAL_DISK_FULL'
  | 'JOURNAL_UNWRITABLE'
  | 'JOURNAL_UNREADABLE'
  | 'JOURNAL_CORRUPT'
  | 'JOURNAL_CLOSED'
  | 'JOURNAL_SEQ_EXHAUSTED';

/** What is known about where a journal failure happened. */
export interface JournalErrorFacts {
  /** The journal directory. */
  dir: string;
  /** The segment file involved, when there is one. */
  path?: string;
  /** The system error code (ENOSPC, EACCES, …) when the OS reported one. */
  errno?: string;
  /** Free bytes on the journal's file system, when they could be measured. */
  freeBytes?: number;
  /** Line number in `path` (corruption). */
  line?: number;
  /** How many lines were skipped (corruption). */
  corruptLines?: number;
  cause?: unknown;
}

const DISK_FULL_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * A failure of the event journal on disk. The daemon keeps running (appends are refused and acks say
 * `journal_unavailable`) and retries on the next event, so every message says how to clear the cause.
 */
export class JournalError extends MpmError {
  override readonly code: JournalErrorCode;

  constructor(code: JournalErrorCode, message: string, facts: JournalErrorFacts, steps: string[]) {
    super(code, message, {
      context: {
        dir: facts.dir,
        path: facts.path,
        errno: facts.errno,
        freeBytes: facts.freeBytes,
        line: facts.line,
        corruptLines: facts.corruptLines,
      },
      steps,
      commands: journalCommands(facts.dir),
      cause: facts.cause,
    });
    this.code = code;
  }

  /** Classifies a failed write (or open for writing) by its errno: disk full, or not writable. */
  static writeFailed(facts: JournalErrorFacts): JournalError {
    const errno = facts.errno ?? errorCodeOf(facts.cause);
    const known = { ...facts, errno };
    const where = facts.path ?? facts.dir;
    const why = describeCause(facts.cause);
    if (errno !== undefined && DISK_FULL_ERRNOS.has(errno)) {
      const free = facts.freeBytes === undefined ? '' : ` (${facts.freeBytes} bytes free)`;
      return new JournalError(
        'JOURNAL_DISK_FULL',
        `the event journal cannot grow: the disk holding ${facts.dir} is full${free}; events are refused until space is free`,
        known,
        [
          `Free space on the file system that holds ${facts.dir}.`,
          'Or lower the journal retention: set journal.maxBytes (env MPM_MON_JOURNAL_MAX_BYTES) to fewer bytes and restart the daemon.',
          'Events are accepted again as soon as a write succeeds; nothing needs restarting once space is free.',
        ],
      );
    }
    return new JournalError(
      'JOURNAL_UNWRITABLE',
      `cannot write the event journal at ${where}${errno ? ` (${errno})` : ''}${why}; events are refused until it is writable`,
      known,
      [
        `Make sure ${facts.dir} is a directory owned by the user running the daemon and writable by it.`,
        'Check that the file system is not mounted read-only and that no segment file was replaced by a directory or a device.',
        'Or point MPM_MON_HOME at a writable directory and restart the daemon.',
      ],
    );
  }

  /** A segment that exists but cannot be read at start-up (permissions, I/O error). */
  static readFailed(facts: JournalErrorFacts): JournalError {
    const errno = facts.errno ?? errorCodeOf(facts.cause);
    return new JournalError(
      'JOURNAL_UNREADABLE',
      `cannot read the event journal at ${facts.path ?? facts.dir}${errno ? ` (${errno})` : ''}${describeCause(facts.cause)}`,
      { ...facts, errno },
      [
        `Make sure every file in ${facts.dir} is readable by the user running the daemon.`,
        `If a segment is damaged beyond use, move it out of ${facts.dir} (events in it are then gone) and start again.`,
      ],
    );
  }

  /** Lines of the journal that could not be parsed (torn writes, disk damage); reported, never fatal. */
  static corrupt(facts: JournalErrorFacts): JournalError {
    const count = facts.corruptLines ?? 1;
    const at = facts.path ? ` in ${facts.path}${facts.line ? ` at line ${facts.line}` : ''}` : '';
    return new JournalError(
      'JOURNAL_CORRUPT',
      `${count} journal line${count === 1 ? ' was' : 's were'} unreadable${at} and skipped`,
      facts,
      [
        'A torn last line after a crash or power loss is expected and harmless: only that event, which was never acknowledged, is missing.',
        'Lines damaged in the middle of a segment point at disk trouble: check the disk and the system log.',
        `The skipped lines stay in ${facts.dir} for inspection; the journal keeps working.`,
      ],
    );
  }

  /** Seqs must stay exact integers in JSON and JavaScript: a journal this close to 2^53 is refused. */
  static seqExhausted(dir: string, lastSeq: number, limit: number): JournalError {
    return new JournalError(
      'JOURNAL_SEQ_EXHAUSTED',
      `the event journal in ${dir} has reached seq ${lastSeq}; seqs above ${limit} would no longer be exact integers, so no more events can be numbered`,
      { dir },
      [
        `Move the journal aside (e.g. \`mv ${dir} ${dir}.full\`) and restart the daemon: numbering starts again at 1.`,
        'Viewers that resume by seq must then start from 0 (restart them).',
      ],
    );
  }

  static closed(dir: string): JournalError {
    return new JournalError(
      'JOURNAL_CLOSED',
      'the event journal is closed; the daemon is shutting down',
      { dir },
      ['Send the event again once the daemon is back (`mpm-mon status`).'],
    );
  }
}

export function isJournalError(error: unknown): error is JournalError {
  return error instanceof JournalError;
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : '';
}

function journalCommands(dir: string): PlatformCommands {
  return {
    all: ['mpm-mon doctor'],
    ...perPlatform((platform) => [
      ...diskSpaceCommands(platform, dir),
      ...showPermissionsCommands(platform, dir),
    ]),
  };
}
