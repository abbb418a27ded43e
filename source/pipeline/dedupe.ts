/**
 * Dedupe: remembers which content ids were stored, and under which seq, for `windowMs`. A retried hook
 * that delivers the same payload again inside the window is acknowledged with the original seq instead
 * of being stored twice. Memory is bounded by `maxEntries` (oldest dropped first).
 */
export interface DeduperOptions {
  /** How long an id is remembered; 0 turns deduplication off. */
  windowMs: number;
  maxEntries: number;
  now: () => number;
}

interface Entry {
  seq: number;
  storedAt: number;
}

export class Deduper {
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Insertion order is remember() order, so the oldest entry is always first. */
  private readonly entries = new Map<string, Entry>();

  constructor(options: DeduperOptions) {
    requireInteger('windowMs', options.windowMs, 0);
    requireInteger('maxEntries', options.maxEntries, 1);
    this.windowMs = options.windowMs;
    this.maxEntries = options.maxEntries;
    this.now = options.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The seq the payload with this id was stored under, if that was within the window. */
  lookup(id: string): number | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (this.isExpired(entry, this.now())) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.seq;
  }

  /** `storedAt`: when it was stored (default now; a stored event's receivedAt when rebuilt at start). */
  remember(id: string, seq: number, storedAt = this.now()): void {
    if (this.windowMs === 0) return;
    const now = this.now();
    if (!Number.isFinite(storedAt) || this.isExpired({ seq, storedAt }, now)) return;
    this.entries.delete(id);
    this.entries.set(id, { seq, storedAt: Math.min(storedAt, now) });
    this.evict(now);
  }

  private evict(now: number): void {
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && !this.isExpired(entry, now)) break;
      this.entries.delete(id);
    }
  }

  private isExpired(entry: Entry, now: number): boolean {
    return now - entry.storedAt >= this.windowMs;
  }
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Deduper: ${name} must be an integer ≥ ${min}; got ${String(value)}`);
  }
}
