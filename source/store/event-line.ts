import type { MonEvent } from '../protocol/event.js';

/** One event as one journal line (no newline). */
export function serializeEvent(event: MonEvent): string {
  return JSON.stringify(event);
}

/**
 * The event a journal line holds, or null when the line is not a whole event (torn write, disk damage,
 * a stray edit such as `{"seq":1}`): a positive safe-integer seq and the fields every reader relies on
 * (id, receivedAt, type, sessionId as strings, data an object). Every reader skips what this refuses,
 * and recovery counts it. A line written before `occurredAt` existed gets its receivedAt.
 */
export function parseEventLine(text: string): MonEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const event = value as Partial<Record<keyof MonEvent, unknown>>;
  const { seq } = event;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  for (const key of ['id', 'receivedAt', 'type', 'sessionId'] as const)
    if (typeof event[key] !== 'string') return null;
  const { data } = event;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  if (typeof event.occurredAt !== 'string') event.occurredAt = event.receivedAt;
  return event as MonEvent;
}

/** Blank lines (a newline written to close a torn line) are not events and not corruption. */
export function isBlankLine(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Sorts by seq and keeps the first copy of each seq (in input order), so reads stay ascending and
 * unique even when a damaged journal holds seqs out of order or twice.
 */
export function uniqueBySeq(events: readonly MonEvent[]): MonEvent[] {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const out: MonEvent[] = [];
  for (const event of sorted) {
    if (out.length === 0 || out[out.length - 1]!.seq !== event.seq) out.push(event);
  }
  return out;
}
