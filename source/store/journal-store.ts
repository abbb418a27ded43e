import type { Logger } from '../instance/logger-types.js';
import { JournalError } from '../errors/journal-error.js';
import type { MonEvent } from '../protocol/event.js';
import type { ClusterNode } from '../protocol/messages.js';
import { aboveSeq, eventsAsJson, uniqueBySeq } from './event-line.js';
import { Journal } from './journal.js';
import { EventRing } from './ring.js';
import { Fanout, tailFrom } from './tail.js';
import type { EventDraft, EventStore, SeqJson, StoreStats } from './types.js';

/**
 * The highest seq this store hands out: a billion below Number.MAX_SAFE_INTEGER, so seqs stay exact
 * everywhere (JSON, JavaScript, `since` arithmetic) and a journal near the edge is refused at start.
 */
export const SEQ_LIMIT = Number.MAX_SAFE_INTEGER - 1_000_000_000;

export interface JournalStoreOptions {
  /** Directory of the segments (created if missing). */
  dir: string;
  /** Events kept in memory for replay (events.ringSize). */
  ringSize: number;
  /** Size at which a segment is rotated (journal.segmentBytes). */
  segmentBytes: number;
  /** Retention on disk (journal.maxBytes). */
  maxBytes: number;
  logger: Logger;
  /** Clock (ms) for the recovery timing in the log. */
  now?: () => number;
}

export interface JournalStoreStats extends StoreStats {
  dir: string;
  /** Write batches started: with group commit, far fewer than appended events under load. */
  writeBatches: number;
  /** Events held in memory. */
  ringEvents: number;
  segmentsDropped: number;
}

export interface JournalStore extends EventStore {
  stats(): JournalStoreStats;
}

/**
 * The embedded store: the newest events in a ring in memory, every event in the journal on disk.
 * Reads come from the ring when it reaches back far enough, from the journal otherwise.
 */
export async function openJournalStore(options: JournalStoreOptions): Promise<JournalStore> {
  if (!Number.isSafeInteger(options.ringSize) || options.ringSize < 0) {
    throw new RangeError(`store option ringSize must be an integer >= 0, got ${String(options.ringSize)}`);
  }
  const now = options.now ?? Date.now;
  const started = now();
  const ring = new EventRing(options.ringSize);
  const fanout = new Fanout();
  const { journal, recovery } = await Journal.open({
    dir: options.dir,
    segmentBytes: options.segmentBytes,
    maxBytes: options.maxBytes,
    keep: options.ringSize,
    logger: options.logger,
    onCommitted: (events) => {
      for (const event of events) ring.push(event);
      fanout.emit(events);
    },
  });
  if (recovery.lastSeq > SEQ_LIMIT) {
    await journal.close();
    throw JournalError.seqExhausted(options.dir, recovery.lastSeq, SEQ_LIMIT);
  }
  ring.restore(recovery.newest, recovery.floor);
  options.logger.info('journal: recovered', {
    dir: options.dir,
    segments: recovery.segments.length,
    lastSeq: recovery.lastSeq,
    inMemory: ring.size,
    corruptLines: recovery.corruptLines,
    ms: now() - started,
  });
  return new RingJournalStore(journal, ring, fanout, recovery.lastSeq);
}

class RingJournalStore implements JournalStore {
  private nextSeq: number;
  private closed = false;

  constructor(
    private readonly journal: Journal,
    private readonly ring: EventRing,
    private readonly fanout: Fanout,
    lastSeq: number,
  ) {
    this.nextSeq = lastSeq + 1;
  }

  /** An embedded journal belongs to one daemon. */
  readonly peerNodes: readonly ClusterNode[] = [];

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  append(drafts: readonly EventDraft[]): Promise<MonEvent[]> {
    if (this.closed) return Promise.reject(JournalError.closed(this.journal.dir));
    if (this.nextSeq + drafts.length - 1 > SEQ_LIMIT)
      return Promise.reject(JournalError.seqExhausted(this.journal.dir, this.lastSeq, SEQ_LIMIT));
    // Numbered now, synchronously, in call order; a failed write burns these seqs for good.
    const events = drafts.map((draft) => numbered(draft, this.nextSeq++));
    return this.journal.append(events).then(() => events);
  }

  async readSince(since: number, limit: number): Promise<MonEvent[]> {
    checkSeq('readSince', 'since', since, 0);
    checkLimit('readSince', limit);
    if (limit === 0) return [];
    const fromRing = this.ring.since(since, limit);
    if (fromRing) return fromRing;
    const fromDisk = await this.journal.readSince(since, limit);
    // Retention may have deleted on disk what the ring still holds: merge both, but only where the ring
    // goes on from what the disk gave. Writes during the read may have moved the ring past it (a gap).
    if (fromDisk.length === 0) return this.ring.after(since, limit);
    const reached = fromDisk.at(-1)!.seq;
    if (fromDisk.length >= limit || !this.ring.covers(reached)) return fromDisk;
    return uniqueBySeq([...fromDisk, ...this.ring.after(reached, limit)]).slice(0, limit);
  }

  tail(since: number, signal?: AbortSignal): AsyncIterable<MonEvent[]> {
    checkSeq('tail', 'since', since, 0);
    return tailFrom(since, (from, limit) => this.readSince(from, limit), this.fanout.subscribe, signal);
  }

  readBefore(before: number, limit: number, filter?: (event: MonEvent) => boolean): Promise<MonEvent[]> {
    return this.readBeforeAs('readBefore', before, limit, filter, {
      fromRing: (events) => Promise.resolve(events),
      fromDisk: (below, rest) => this.journal.readBefore(below, rest, filter),
    });
  }

  readBeforeJson(
    before: number,
    limit: number,
    filter?: (event: MonEvent) => boolean,
    after = 0,
  ): Promise<SeqJson[]> {
    const inRange = aboveSeq(after, filter);
    return this.readBeforeAs('readBeforeJson', before, limit, inRange, {
      fromRing: eventsAsJson,
      fromDisk: (below, rest) => this.journal.readBeforeJson(below, rest, filter, after),
    });
  }

  /** The newest matching events below `before`: the ring's, and below its floor the journal's. */
  private async readBeforeAs<T>(
    method: string,
    before: number,
    limit: number,
    filter: ((event: MonEvent) => boolean) | undefined,
    read: {
      fromRing: (events: MonEvent[]) => Promise<T[]>;
      fromDisk: (below: number, limit: number) => Promise<T[]>;
    },
  ): Promise<T[]> {
    checkSeq(method, 'before', before, 1);
    checkLimit(method, limit);
    if (limit === 0) return [];
    // Taken from the ring now; what they are does not change while the disk is read.
    const inRing = this.ring.before(before, limit, filter);
    if (inRing.length >= limit || this.ring.floor === 0) return read.fromRing(inRing);
    // Everything above the floor is in the ring: the journal is asked only about what lies below.
    const below = Math.min(before, this.ring.floor + 1);
    const fromDisk = await read.fromDisk(below, limit - inRing.length);
    return [...fromDisk, ...(await read.fromRing(inRing))];
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.journal.close();
  }

  stats(): JournalStoreStats {
    const journal = this.journal.stats();
    const retained = [journal.firstSeq, this.ring.oldestSeq ?? 0].filter((seq) => seq > 0);
    return {
      kind: 'journal',
      lastSeq: this.lastSeq,
      firstSeq: retained.length > 0 ? Math.min(...retained) : 0,
      segments: journal.segments,
      bytes: journal.bytes,
      corruptLines: journal.corruptLines,
      writeErrors: journal.writeErrors,
      writable: journal.writable,
      dir: this.journal.dir,
      writeBatches: journal.writeBatches,
      ringEvents: this.ring.size,
      segmentsDropped: journal.segmentsDropped,
    };
  }
}

/** The stored form: seq first, then exactly the event's fields (nothing extra rides along). */
function numbered(draft: EventDraft, seq: number): MonEvent {
  return {
    seq,
    id: draft.id,
    receivedAt: draft.receivedAt,
    occurredAt: draft.occurredAt,
    type: draft.type,
    sessionId: draft.sessionId,
    ...(draft.agentId === undefined ? {} : { agentId: draft.agentId }),
    source: draft.source,
    tool: draft.tool,
    cwd: draft.cwd,
    data: draft.data,
    ...(draft.truncated === undefined ? {} : { truncated: draft.truncated }),
  };
}

/** Reads are asked by viewers over the network: refuse nonsense with the argument and value named. */
function checkSeq(method: string, name: string, value: number, min: number): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw new RangeError(`${method}: ${name} must be a seq number >= ${min}, got ${String(value)}`);
  }
}

function checkLimit(method: string, limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`${method}: limit must be an integer >= 0, got ${String(limit)}`);
  }
}
