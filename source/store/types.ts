/**
 * The store behind the pipeline. Kept small (append, read since seq, next seq) so that the embedded
 * journal can later be joined by another backend (e.g. Redis Streams) without touching the pipeline.
 */
import type { MonEvent } from '../protocol/event.js';

export interface EventStore {
  /** Highest seq ever stored (0 when empty); the next event gets lastSeq + 1. Never reused. */
  readonly lastSeq: number;
  /**
   * Durably appends events whose seqs are lastSeq+1, lastSeq+2, … in order. Resolves once the
   * bytes reached the OS (written; fsync is not awaited per event). Rejects with JournalError when
   * the write fails (disk full, read-only): the events are then NOT stored and must not be acked.
   */
  append(events: readonly MonEvent[]): Promise<void>;
  /** Events with seq > since, in seq order, at most `limit`. */
  readSince(since: number, limit: number): Promise<MonEvent[]>;
  /** Events with seq < before (newest first read, returned in seq order), filtered, at most `limit`. */
  readBefore(before: number, limit: number, filter?: (event: MonEvent) => boolean): Promise<MonEvent[]>;
  /** Flushes what is buffered and closes files. */
  close(): Promise<void>;
  /** Figures for /diagnostics and health. */
  stats(): StoreStats;
}

export interface StoreStats {
  lastSeq: number;
  firstSeq: number;
  segments: number;
  bytes: number;
  /** Lines skipped at recovery because they did not parse (torn or corrupt). */
  corruptLines: number;
  /** Write failures since start. */
  writeErrors: number;
  writable: boolean;
}
