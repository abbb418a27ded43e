/** The bounded list of events the TUI holds: newest last, oldest dropped (and counted) past capacity. */
import type { MonEvent } from '../../protocol/event.js';

export interface EventBuffer {
  readonly events: readonly MonEvent[];
  readonly capacity: number;
  /** Events pushed out because the buffer was full. */
  readonly dropped: number;
  /** Highest seq ever appended (duplicates and stale events at or below it are ignored). */
  readonly lastSeq: number;
}

export function createEventBuffer(capacity: number): EventBuffer {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`event buffer capacity must be a positive integer, got ${capacity}`);
  return { events: [], capacity, dropped: 0, lastSeq: 0 };
}

/** Appends a batch in seq order. Returns the same buffer when nothing new arrived. */
export function appendEvents(buffer: EventBuffer, incoming: readonly MonEvent[]): EventBuffer {
  let lastSeq = buffer.lastSeq;
  const fresh: MonEvent[] = [];
  for (const event of incoming) {
    if (event.seq > lastSeq) {
      fresh.push(event);
      lastSeq = event.seq;
    }
  }
  if (fresh.length === 0) return buffer;
  const total = buffer.events.length + fresh.length;
  const overflow = Math.max(0, total - buffer.capacity);
  const kept =
    overflow >= buffer.events.length
      ? fresh.slice(overflow - buffer.events.length)
      : [...buffer.events.slice(overflow), ...fresh];
  return { ...buffer, events: kept, dropped: buffer.dropped + overflow, lastSeq };
}

/** Index of the first event with seq >= `seq` (events are in seq order). */
export function lowerBoundBySeq(events: readonly MonEvent[], seq: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (events[mid]!.seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
