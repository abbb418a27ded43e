/**
 * The store behind the pipeline and the source of the live stream: the embedded journal and Redis
 * Streams implement it, and test/store/contract.ts holds both to the same behaviour.
 */
import type { MonEvent } from '../protocol/event.js';
import type { StoreStats } from '../protocol/diagnostics.js';
import type { ClusterNode } from '../protocol/messages.js';

/** An event before the store numbered it. */
export type EventDraft = Omit<MonEvent, 'seq'>;

/**
 * What `append` gives back for one draft: the stored event; or, from a store that dedupes itself (a
 * shared Redis, where another daemon may have stored the same content id), `duplicate: true` with the
 * seq of the copy already stored — nothing was written for this draft.
 */
export type Appended = MonEvent & { duplicate?: true };

/** A stored event as its seq and its JSON text (what a history page sends on). */
export interface SeqJson {
  seq: number;
  json: string;
}

export interface EventStore {
  /** Highest seq handed out (0 when empty). Seqs are never reused, not even after a failed write. */
  readonly lastSeq: number;
  /**
   * Numbers the drafts synchronously (lastSeq+1, lastSeq+2, … in call order) and appends them.
   * Resolves with the stored events, one per draft in order, once their bytes reached the OS
   * (concurrent calls may share one write: group commit); a draft whose id the store already holds
   * comes back as `duplicate` with its first seq (see Appended). Rejects with a JournalError when the write fails (disk full, read-only):
   * those events are then not stored and must not be acknowledged.
   */
  append(drafts: readonly EventDraft[]): Promise<Appended[]>;
  /**
   * Every stored event with seq > since, in seq order, in batches; then each batch as it is stored, by
   * this daemon or (with a shared store) any other. Ends when `signal` aborts.
   */
  tail(since: number, signal?: AbortSignal): AsyncIterable<MonEvent[]>;
  /** Stored events with seq > since, in seq order, at most `limit`. */
  readSince(since: number, limit: number): Promise<MonEvent[]>;
  /** The newest stored events with seq < before that pass `filter`, in seq order, at most `limit`. */
  readBefore(before: number, limit: number, filter?: (event: MonEvent) => boolean): Promise<MonEvent[]>;
  /**
   * The events `readBefore` gives (only those with seq > `after`, default 0), each as its JSON text,
   * made without holding up the event loop for long: lines read from disk are passed on as they are
   * (not parsed again when nothing but seqs filters them and the journal wrote or checked them), events
   * held in memory are serialized a slice at a time.
   */
  readBeforeJson(
    before: number,
    limit: number,
    filter?: (event: MonEvent) => boolean,
    after?: number,
  ): Promise<SeqJson[]>;
  /** Flushes what is pending and closes files. */
  close(): Promise<void>;
  /** Figures for /diagnostics, /metrics and health. */
  stats(): StoreStats;
  /** The other daemons sharing this store, with a fresh heartbeat (none for an embedded store). */
  readonly peerNodes: readonly ClusterNode[];
}

export type { StoreStats };
