import type { MonEvent } from '../protocol/event.js';

/**
 * The newest events in memory, in ascending seq order (seqs may have gaps: a failed write burns its
 * seqs). `floor` is the highest seq that may exist but is not held here (the last one evicted, or what
 * the journal holds beyond what was loaded); the ring answers every question about seqs above it.
 */
export class EventRing {
  readonly capacity: number;
  private readonly slots: (MonEvent | undefined)[];
  private head = 0;
  private count = 0;
  private floorSeq: number;

  constructor(capacity: number, floor = 0) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`ring capacity must be an integer >= 0, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.slots = new Array<MonEvent | undefined>(capacity);
    this.floorSeq = floor;
  }

  get size(): number {
    return this.count;
  }

  /** Highest seq not held here that may exist elsewhere (0: the ring holds everything ever stored). */
  get floor(): number {
    return this.floorSeq;
  }

  get oldestSeq(): number | undefined {
    return this.at(0)?.seq;
  }

  get newestSeq(): number | undefined {
    return this.at(this.count - 1)?.seq;
  }

  /** Refills an empty ring after recovery: `events` ascending, all above `floor`. */
  restore(events: readonly MonEvent[], floor: number): void {
    if (this.count > 0) throw new Error('ring restore needs an empty ring');
    this.floorSeq = floor;
    for (const event of events) this.push(event);
  }

  /** Adds the next event; seqs must ascend. Evicts the oldest when full. */
  push(event: MonEvent): void {
    const newest = this.newestSeq ?? this.floorSeq;
    if (event.seq <= newest) {
      throw new RangeError(`ring seqs must ascend: got ${event.seq} after ${newest}`);
    }
    if (this.capacity === 0) {
      this.floorSeq = event.seq;
      return;
    }
    if (this.count === this.capacity) {
      this.floorSeq = this.slots[this.head]!.seq;
      this.slots[this.head] = event;
      this.head = (this.head + 1) % this.capacity;
      return;
    }
    this.slots[(this.head + this.count) % this.capacity] = event;
    this.count += 1;
  }

  /** True when every stored event with seq > `since` is held here. */
  covers(since: number): boolean {
    return since >= this.floorSeq;
  }

  /** Events with seq > `since` in seq order (at most `limit`), or null when the ring does not reach back. */
  since(since: number, limit: number): MonEvent[] | null {
    return this.covers(since) ? this.after(since, limit) : null;
  }

  /** The held events with seq > `since`, at most `limit`, whether or not older ones exist elsewhere. */
  after(since: number, limit: number): MonEvent[] {
    const out: MonEvent[] = [];
    for (let index = this.firstIndexAbove(since); index < this.count && out.length < limit; index += 1) {
      out.push(this.at(index)!);
    }
    return out;
  }

  /** The newest held events with seq < `before` that pass `filter`, at most `limit`, in seq order. */
  before(before: number, limit: number, filter?: (event: MonEvent) => boolean): MonEvent[] {
    const out: MonEvent[] = [];
    for (let index = this.firstIndexAbove(before - 1) - 1; index >= 0 && out.length < limit; index -= 1) {
      const event = this.at(index)!;
      if (!filter || filter(event)) out.push(event);
    }
    return out.reverse();
  }

  toArray(): MonEvent[] {
    return this.after(-Infinity, this.count);
  }

  private at(index: number): MonEvent | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.slots[(this.head + index) % this.capacity];
  }

  /** Logical index of the first held event with seq > `seq` (binary search; `count` when none). */
  private firstIndexAbove(seq: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.at(middle)!.seq > seq) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
