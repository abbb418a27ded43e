import { statSync } from 'node:fs';
import { type FileHandle, mkdir, open, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../instance/logger-types.js';
import { errorCodeOf } from '../errors/base.js';
import { JournalError } from '../errors/journal-error.js';
import type { MonEvent } from '../protocol/event.js';
import type { StoreStats } from '../protocol/diagnostics.js';
import { type EventJson, isBlankLine, parseEventJson, serializeEvent, uniqueBySeq } from './event-line.js';
import { GroupCommit } from './group-commit.js';
import { readLines } from './lines.js';
import { type FileIdentity, type Recovery, type SegmentInfo, recoverJournal } from './recover.js';
import { segmentIndexFor, segmentName, segmentsToDrop } from './segments.js';
import type { SeqJson } from './types.js';
import { leadingSeq, SeqIndex } from './seq-index.js';

export interface JournalOptions {
  dir: string;
  /** A segment at or above this size is closed and a new one started before the next write. */
  segmentBytes: number;
  /** Retention: the oldest whole segments are deleted while the total is above this. */
  maxBytes: number;
  logger: Logger;
  /** How many of the newest events recovery hands back (the ring size). */
  keep: number;
  /** Called synchronously after a batch reached the OS, before its appends resolve. */
  onCommitted?: (events: readonly MonEvent[]) => void;
  maxLineBytes?: number;
}

/** The store's figures of StoreStats (protocol/diagnostics.ts), and the journal's own. */
export interface JournalStats extends Omit<StoreStats, 'kind' | 'lastSeq'> {
  /** Write batches started (group commit: far fewer than appends under load). */
  writeBatches: number;
  /** Segments deleted by retention since start. */
  segmentsDropped: number;
}

interface Pending {
  event: MonEvent;
  line: string;
}

/**
 * What a read keeps of each stored event it takes: the event, or just its seq and JSON text — which,
 * from a verified segment (SegmentInfo.verified), can be had from the line without parsing it.
 */
interface Keep<T extends { seq: number }> {
  read: (read: EventJson) => T;
  line?: (seq: number, text: string) => T;
}
const keepEvent: Keep<MonEvent> = { read: (read) => read.event };
const keepJson: Keep<SeqJson> = {
  read: (read) => ({ seq: read.event.seq, json: read.json }),
  line: (seq, json) => ({ seq, json }),
};

const NEWLINE = 0x0a;

/**
 * The append-only NDJSON journal on disk: segments named by their first seq, one event per line.
 * Appends are group-committed (one write per batch, no fsync per event; fsync on rotation and close).
 */
export class Journal {
  private readonly segments: SegmentInfo[];
  /** The segment appends go to; null after a rotation until the next write opens a new one. */
  private active: SegmentInfo | null;
  private handle: FileHandle | null = null;
  /** The open segment's inode, to notice the file being deleted or replaced while we hold it. */
  private activeIdentity: FileIdentity | null = null;
  /** The active file does not end with a newline (torn line): the next write starts with one. */
  private needsNewline = false;
  private readonly commit: GroupCommit<Pending>;
  private corruptLines: number;
  private writeErrors = 0;
  private writable = true;
  private segmentsDropped = 0;
  private closed = false;

  private constructor(
    private readonly options: JournalOptions,
    recovery: Recovery,
  ) {
    this.segments = recovery.segments;
    this.active = this.segments.at(-1) ?? null;
    this.corruptLines = recovery.corruptLines;
    this.commit = new GroupCommit((batch) => this.writeBatch(batch));
  }

  /** Opens (creating the directory if needed) and recovers. Fails only when the directory is unusable. */
  static async open(options: JournalOptions): Promise<{ journal: Journal; recovery: Recovery }> {
    validateSizes(options);
    const recovery = await recoverJournal({
      dir: options.dir,
      keep: options.keep,
      logger: options.logger,
      maxLineBytes: options.maxLineBytes,
    });
    return { journal: new Journal(options, recovery), recovery };
  }

  get dir(): string {
    return this.options.dir;
  }

  /**
   * Writes the events (already numbered, ascending) as part of the next batch. Resolves once the
   * bytes reached the OS; rejects with a JournalError when the write failed (nothing of it is kept).
   */
  append(events: readonly MonEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(JournalError.closed(this.options.dir));
    if (events.length === 0) return Promise.resolve();
    let pending: Pending[];
    try {
      pending = events.map((event) => ({ event, line: serializeEvent(event) }));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.commit.submit(pending);
  }

  /** Stored events with seq > since, ascending, each seq once, at most `limit`. */
  async readSince(since: number, limit: number): Promise<MonEvent[]> {
    if (limit <= 0) return [];
    const segments = [...this.segments];
    let found: MonEvent[] = [];
    const startAt = segmentIndexFor(
      segments.map((segment) => segment.base),
      since,
    );
    if (startAt < 0) return [];
    for (let index = startAt; index < segments.length; index += 1) {
      found = await this.collect(
        segments[index]!,
        found,
        (event) => event.seq > since,
        keepEvent,
        limit,
        'lowest',
        since,
      );
      const next = segments[index + 1];
      // Later segments hold only seqs >= their base: once we have `limit` below it, we are done.
      if (found.length >= limit && (!next || next.base > found[limit - 1]!.seq)) break;
    }
    return found.slice(0, limit);
  }

  /** The newest stored events with seq < before that pass `filter`, ascending, at most `limit`. */
  readBefore(before: number, limit: number, filter?: (event: MonEvent) => boolean): Promise<MonEvent[]> {
    return this.readBeforeAs(before, limit, keepEvent, filter);
  }

  /**
   * `readBefore` as each event's JSON text: the lines as read, so nothing is serialized again and no
   * parsed event outlives the line it came from.
   */
  readBeforeJson(
    before: number,
    limit: number,
    filter?: (event: MonEvent) => boolean,
    after = 0,
  ): Promise<SeqJson[]> {
    return this.readBeforeAs(before, limit, keepJson, filter, after);
  }

  /** Also only seq > after; with no other filter, verified segments' lines are not parsed again. */
  private async readBeforeAs<T extends { seq: number }>(
    before: number,
    limit: number,
    keep: Keep<T>,
    filter?: (event: MonEvent) => boolean,
    after = 0,
  ): Promise<T[]> {
    if (limit <= 0) return [];
    const segments = [...this.segments];
    let found: T[] = [];
    const accept = (event: MonEvent): boolean =>
      event.seq < before && event.seq > after && (!filter || filter(event));
    for (let index = segments.length - 1; index >= 0; index -= 1) {
      const segment = segments[index]!;
      if (segment.base >= before) continue;
      if (segment.maxSeq !== null && segment.maxSeq <= after) break;
      const unparsed = keep.line && !filter && isVerified(segment) ? keep.line : undefined;
      found = segment.index.inOrder
        ? await this.collectBelow(segment, found, accept, keep, limit, before, after, unparsed)
        : await this.collect(segment, found, accept, keep, limit, 'highest');
      // Earlier segments hold only seqs below this one's base, below everything found so far.
      if (found.length >= limit) break;
    }
    return found.slice(-limit);
  }

  stats(): JournalStats {
    const firstSeq = this.segments.find((segment) => segment.minSeq !== null)?.minSeq ?? 0;
    return {
      firstSeq,
      segments: this.segments.length,
      bytes: this.segments.reduce((sum, segment) => sum + segment.bytes, 0),
      corruptLines: this.corruptLines,
      writeErrors: this.writeErrors,
      writable: this.writable,
      writeBatches: this.commit.batches,
      segmentsDropped: this.segmentsDropped,
    };
  }

  /** Waits for queued writes, then fsyncs and closes the active segment. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.commit.idle();
    await this.closeActiveHandle();
  }

  /**
   * Reads one segment and merges the events `accept` takes into `found`, keeping `limit` of them.
   * With `since` (the lowest wanted, in an ordered segment), the read starts where the index puts
   * that seq and stops once it has `limit`: a page costs what it returns, not the whole segment.
   */
  private async collect<T extends { seq: number }>(
    segment: SegmentInfo,
    found: T[],
    accept: (event: MonEvent) => boolean,
    take: Keep<T>,
    limit: number,
    keep: 'lowest' | 'highest',
    since?: number,
  ): Promise<T[]> {
    let merged = [...found];
    const trim = (): T[] => {
      const unique = uniqueBySeq(merged);
      return keep === 'lowest' ? unique.slice(0, limit) : unique.slice(-limit);
    };
    const seek = since !== undefined && keep === 'lowest' && segment.index.inOrder;
    try {
      for await (const line of readLines(segment.path, {
        start: seek ? segment.index.startFor(since) : 0,
        end: segment.bytes,
        maxLineBytes: this.options.maxLineBytes,
      })) {
        if (line.oversized || isBlankLine(line.text)) continue;
        if (seek) {
          const seq = leadingSeq(line.text);
          if (seq !== null && seq <= since) continue;
        }
        const read = parseEventJson(line.text);
        if (!read || !accept(read.event)) continue;
        merged.push(take.read(read));
        if (seek && merged.length >= limit) break;
        if (merged.length >= 2 * limit + 1024) merged = trim();
      }
    } catch (error) {
      // Retention may delete a segment while it is being read: what it held is gone by design.
      if (errorCodeOf(error) !== 'ENOENT')
        throw JournalError.readFailed({ dir: this.dir, path: segment.path, cause: error });
    }
    return trim();
  }

  /**
   * `collect` for an ordered segment, keeping the highest: reads windows of seqs below `before`,
   * downwards, each window's bytes found by the index, so a page costs about what it returns instead
   * of the whole segment. A filter that takes few events doubles the window each time.
   */
  private async collectBelow<T extends { seq: number }>(
    segment: SegmentInfo,
    found: T[],
    accept: (event: MonEvent) => boolean,
    take: Keep<T>,
    limit: number,
    before: number,
    after: number,
    unparsed?: (seq: number, text: string) => T,
  ): Promise<T[]> {
    const floor = Math.max(segment.minSeq ?? segment.base, after + 1);
    let high = Math.min(before, (segment.maxSeq ?? before - 1) + 1);
    let span = Math.max(1, limit - found.length);
    let taken: T[] = [];
    try {
      for (let round = 0; high > floor && found.length + taken.length < limit && round < 64; round++) {
        const low = Math.max(floor, high - span);
        const window: T[] = [];
        for await (const line of readLines(segment.path, {
          start: segment.index.startFor(low - 1),
          end: segment.index.endFor(high, segment.bytes),
          maxLineBytes: this.options.maxLineBytes,
        })) {
          if (line.oversized || isBlankLine(line.text)) continue;
          const seq = leadingSeq(line.text);
          if (seq !== null && (seq < low || seq >= high)) continue;
          // A verified line is one the journal wrote: `{"seq":N,…}`, whole. Anything else is parsed.
          if (unparsed && seq !== null && line.terminated && line.text.endsWith('}')) {
            window.push(unparsed(seq, line.text));
            continue;
          }
          const read = parseEventJson(line.text);
          if (read && read.event.seq >= low && read.event.seq < high && accept(read.event))
            window.push(take.read(read));
        }
        taken = [...window, ...taken];
        high = low;
        span *= 2;
      }
    } catch (error) {
      if (errorCodeOf(error) !== 'ENOENT')
        throw JournalError.readFailed({ dir: this.dir, path: segment.path, cause: error });
    }
    return uniqueBySeq([...taken, ...found]).slice(-limit);
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const events = batch.map((pending) => pending.event);
    let segment: SegmentInfo | null = null;
    let goodBytes = 0;
    try {
      segment = await this.prepareActive(events[0]!.seq);
      goodBytes = segment.bytes;
      const lead = this.needsNewline ? '\n' : '';
      const text = lead + batch.map((pending) => `${pending.line}\n`).join('');
      await writeAll(this.handle!, Buffer.from(text, 'utf8'));
      let offset = goodBytes + lead.length;
      for (const pending of batch) {
        segment.index.add(pending.event.seq, offset);
        offset += Buffer.byteLength(pending.line, 'utf8') + 1;
      }
      segment.bytes += Buffer.byteLength(text, 'utf8');
      this.needsNewline = false;
      segment.minSeq = Math.min(segment.minSeq ?? events[0]!.seq, events[0]!.seq);
      segment.maxSeq = Math.max(segment.maxSeq ?? 0, events.at(-1)!.seq);
    } catch (error) {
      throw await this.writeFailed(error, segment, goodBytes, events[0]!.seq);
    }
    if (!this.writable) this.options.logger.info('journal: writable again', { dir: this.dir });
    this.writable = true;
    try {
      this.options.onCommitted?.(events);
    } catch (error) {
      // The events are on disk: failing their appends now would make producers resend stored events.
      this.options.logger.error('journal: onCommitted failed', { error: String(error) });
    }
    await this.applyRetention();
  }

  /** The segment the next batch goes to, rotating when the active one is full and (re)opening it. */
  private async prepareActive(firstSeq: number): Promise<SegmentInfo> {
    if (this.active && this.active.bytes >= this.options.segmentBytes) {
      await this.closeActiveHandle();
      this.active = null;
    }
    if (this.active && this.handle) {
      if (this.activeStillOnDisk()) return this.active;
      // Deleted or replaced under us (a clean-up script, a hand): writes through the old handle would be
      // acknowledged and lost. Start a new segment instead.
      this.options.logger.warn(
        'journal: the active segment was removed or replaced on disk; starting a new one',
        {
          file: this.active.path,
          nextSeq: firstSeq,
        },
      );
      await this.closeActiveHandle();
      this.active = null;
    }
    const path = this.active?.path ?? join(this.dir, segmentName(firstSeq));
    const handle = await openForAppend(path, this.dir);
    let identity: FileIdentity;
    try {
      const size = (await handle.stat()).size;
      this.needsNewline = size > 0 && !(await endsWithNewline(handle, size));
      identity = await identityOf(handle);
      if (this.active) {
        this.active.bytes = size;
        // A torn tail, or another file than the one checked at recovery: its lines are not known whole.
        if (this.needsNewline || !sameFile(this.active.verified, identity)) this.active.verified = null;
      } else {
        this.active = {
          base: firstSeq,
          path,
          bytes: size,
          minSeq: null,
          maxSeq: null,
          index: new SeqIndex(),
          // Written from empty by this journal: every line is one it wrote.
          verified: size === 0 ? identity : null,
        };
        this.segments.push(this.active);
        this.options.logger.debug('journal: new segment', { file: path });
      }
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    this.handle = handle;
    this.activeIdentity = identity;
    return this.active;
  }

  /** One stat of the path per batch (synchronous: a few microseconds, no thread-pool round trip). */
  private activeStillOnDisk(): boolean {
    if (!this.active || !this.activeIdentity) return true;
    return isStillFile(this.active.path, this.activeIdentity);
  }

  /**
   * After a failed write: cut the segment back to its last complete write (so no half line can glue
   * onto the next event), drop the handle so the next batch reopens, and classify the error.
   */
  private async writeFailed(
    error: unknown,
    segment: SegmentInfo | null,
    goodBytes: number,
    firstSeq: number,
  ): Promise<JournalError> {
    this.writeErrors += 1;
    this.writable = false;
    const handle = this.handle;
    this.handle = null;
    if (handle) {
      // If truncating fails too, reopening sees the missing newline and starts with one.
      await handle.truncate(goodBytes).catch(() => undefined);
      await handle.close().catch(() => undefined);
    }
    if (segment) {
      segment.bytes = goodBytes;
      // The truncate may have failed, leaving half a line in the file.
      segment.verified = null;
    }
    const freeBytes = await statfs(this.dir)
      .then((info) => info.bavail * info.bsize)
      .catch(() => undefined);
    const journalError = JournalError.writeFailed({
      dir: this.dir,
      path: segment?.path ?? this.active?.path ?? join(this.dir, segmentName(firstSeq)),
      freeBytes,
      cause: error,
    });
    this.options.logger.error('journal: write failed', {
      code: journalError.code,
      errno: journalError.context.errno,
      file: journalError.context.path,
      freeBytes,
      writeErrors: this.writeErrors,
    });
    return journalError;
  }

  /** Deletes the oldest whole segments while the total is above maxBytes; never the newest (active) one. */
  private async applyRetention(): Promise<void> {
    const sizes = this.segments.map((segment) => segment.bytes);
    const drop = segmentsToDrop(sizes, this.options.maxBytes);
    for (let dropped = 0; dropped < drop; dropped += 1) {
      const oldest = this.segments[0]!;
      try {
        await unlink(oldest.path);
      } catch (error) {
        if (errorCodeOf(error) !== 'ENOENT') {
          this.options.logger.warn('journal: retention could not delete a segment', {
            file: oldest.path,
            errno: errorCodeOf(error),
          });
          return;
        }
      }
      this.segments.shift();
      this.segmentsDropped += 1;
      this.options.logger.debug('journal: retention dropped a segment', { file: oldest.path });
    }
  }

  private async closeActiveHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (!handle) return;
    try {
      await handle.sync();
    } catch (error) {
      this.options.logger.warn('journal: fsync failed', {
        file: this.active?.path,
        errno: errorCodeOf(error),
      });
    }
    await handle.close().catch(() => undefined);
  }
}

function validateSizes(options: JournalOptions): void {
  for (const key of ['segmentBytes', 'maxBytes'] as const) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`journal option ${key} must be a positive integer (bytes), got ${String(value)}`);
    }
  }
  if (!Number.isSafeInteger(options.keep) || options.keep < 0) {
    throw new RangeError(`journal option keep must be an integer >= 0, got ${String(options.keep)}`);
  }
}

/** Opens a segment for appending; recreates the journal directory if someone removed it. */
async function openForAppend(path: string, dir: string): Promise<FileHandle> {
  try {
    return await open(path, 'a+');
  } catch (error) {
    if (errorCodeOf(error) !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    return await open(path, 'a+');
  }
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  const { bytesRead } = await handle.read(last, 0, 1, size - 1);
  return bytesRead === 1 && last[0] === NEWLINE;
}

/** FileHandle.write may write fewer bytes than asked: loop until all are out. */
async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    offset += bytesWritten;
  }
}

/** The segment's file is still the one whose lines were verified (not replaced since). */
function isVerified(segment: SegmentInfo): boolean {
  return segment.verified !== null && isStillFile(segment.path, segment.verified);
}

/** Whether `path` is still the file `identity` names (not deleted or replaced since). */
function isStillFile(path: string, identity: FileIdentity): boolean {
  const now = statSync(path, { throwIfNoEntry: false });
  return now !== undefined && sameFile(identity, { ino: now.ino, dev: now.dev });
}

function sameFile(a: FileIdentity | null, b: FileIdentity | null): boolean {
  return a !== null && b !== null && a.ino === b.ino && a.dev === b.dev;
}

async function identityOf(handle: FileHandle): Promise<FileIdentity> {
  const stats = await handle.stat();
  return { ino: stats.ino, dev: stats.dev };
}
