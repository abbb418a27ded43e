import type { Stats } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../instance/logger-types.js';
import { errorCodeOf } from '../errors/base.js';
import { JournalError } from '../errors/journal-error.js';
import type { MonEvent } from '../protocol/event.js';
import { isBlankLine, parseEventJson, uniqueBySeq } from './event-line.js';
import { readLines } from './lines.js';
import { parseSegmentName } from './segments.js';
import { SeqIndex } from './seq-index.js';

/** What the journal knows about one segment file. */
export interface SegmentInfo {
  /** The seq in the file name: <= every seq in the file, > every seq in earlier segments. */
  base: number;
  path: string;
  /** Bytes that belong to the journal (complete writes); readers never look past this. */
  bytes: number;
  /** Lowest and highest valid seq in the file (null when it holds none yet). */
  minSeq: number | null;
  maxSeq: number | null;
  /** Where in the file each stretch of seqs starts, for reads from a seq. */
  index: SeqIndex;
  /**
   * The file (inode) whose every line below `bytes` is known to be a whole event as the journal writes
   * it (checked line by line at recovery, or written by this journal); null when that is not known.
   * A read of such a file may pass its lines on without parsing them again.
   */
  verified: FileIdentity | null;
}

export interface FileIdentity {
  ino: number;
  dev: number;
}

export interface Recovery {
  /** Regular segment files, ascending by base. */
  segments: SegmentInfo[];
  /** The newest `keep` events (ascending, each seq once), to refill the ring. */
  newest: MonEvent[];
  /** Highest seq seen but not in `newest` (0 when `newest` holds everything found). */
  floor: number;
  /** Highest seq ever handed out as far as the files tell (seqs in lines and segment names). */
  lastSeq: number;
  /** Lines skipped because they did not parse or had no positive integer seq. */
  corruptLines: number;
}

export interface RecoverOptions {
  dir: string;
  /** How many of the newest events to return for the ring. */
  keep: number;
  logger: Logger;
  maxLineBytes?: number;
}

/** Line numbers listed per segment in the corruption warning; the count covers the rest. */
const LISTED_CORRUPT_LINES = 20;

/**
 * Scans every segment line by line after a start (possibly after a kill -9 mid-write). Never fails on
 * damaged content: bad lines are counted and logged, each once, with file and line number.
 */
export async function recoverJournal(options: RecoverOptions): Promise<Recovery> {
  const { dir, keep, logger } = options;
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw JournalError.writeFailed({ dir, cause: error });
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw JournalError.readFailed({ dir, cause: error });
  }

  const candidates = names
    .map((name) => ({ name, base: parseSegmentName(name) }))
    .filter((entry): entry is { name: string; base: number } => entry.base !== null)
    .sort((a, b) => a.base - b.base);

  const segments: SegmentInfo[] = [];
  const newest = new NewestEvents(keep);
  let lastSeq = 0;
  let corruptLines = 0;

  for (const { name, base } of candidates) {
    // A name alone proves its base seq may have been handed out: never reuse it.
    lastSeq = Math.max(lastSeq, base);
    const path = join(dir, name);
    const info = await statSegment(path, dir);
    if (!info?.isFile()) {
      logger.warn('journal: ignoring a segment name that is not a regular file', { file: path });
      continue;
    }
    const segment: SegmentInfo = {
      base,
      path,
      bytes: info.size,
      minSeq: null,
      maxSeq: null,
      index: new SeqIndex(),
      verified: null,
    };
    const corrupt: number[] = [];
    /** Every line so far a whole, terminated event line, as written (nothing filled in). */
    let asWritten = true;
    try {
      for await (const line of readLines(path, { end: info.size, maxLineBytes: options.maxLineBytes })) {
        if (!line.oversized && isBlankLine(line.text)) {
          asWritten = false;
          continue;
        }
        const read = line.oversized ? null : parseEventJson(line.text);
        if (!read) {
          corrupt.push(line.lineNumber);
          continue;
        }
        const event = read.event;
        if (read.json !== line.text || !line.terminated) asWritten = false;
        segment.minSeq = Math.min(segment.minSeq ?? event.seq, event.seq);
        segment.maxSeq = Math.max(segment.maxSeq ?? event.seq, event.seq);
        segment.index.add(event.seq, line.start);
        lastSeq = Math.max(lastSeq, event.seq);
        newest.add(event);
      }
    } catch (error) {
      throw JournalError.readFailed({ dir, path, cause: error });
    }
    if (asWritten && corrupt.length === 0 && segment.index.inOrder)
      segment.verified = { ino: info.ino, dev: info.dev };
    if (corrupt.length > 0) {
      corruptLines += corrupt.length;
      logger.warn('journal: skipped unreadable lines', {
        file: path,
        count: corrupt.length,
        lines: corrupt.slice(0, LISTED_CORRUPT_LINES),
      });
    }
    segments.push(segment);
  }

  const { events, floor } = newest.result();
  return { segments, newest: events, floor, lastSeq, corruptLines };
}

/** The segment's stats, or null for a dangling symlink (nothing to read, but its name still counts). */
async function statSegment(path: string, dir: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT') return null;
    throw JournalError.readFailed({ dir, path, cause: error });
  }
}

/**
 * Keeps the newest `keep` distinct seqs from a stream that is mostly ascending, in bounded memory:
 * it compacts whenever it holds twice what it must keep.
 */
class NewestEvents {
  private events: MonEvent[] = [];
  private dropped = 0;

  constructor(private readonly keep: number) {}

  add(event: MonEvent): void {
    this.events.push(event);
    if (this.events.length >= Math.max(2 * this.keep, 1024)) this.compact();
  }

  result(): { events: MonEvent[]; floor: number } {
    this.compact();
    return { events: this.events, floor: this.dropped };
  }

  private compact(): void {
    // A late duplicate of a seq already dropped stays dropped: what is kept is always above the floor.
    const unique = uniqueBySeq(this.events).filter((event) => event.seq > this.dropped);
    const cut = Math.max(0, unique.length - this.keep);
    if (cut > 0) this.dropped = Math.max(this.dropped, unique[cut - 1]!.seq);
    this.events = unique.slice(cut);
  }
}
