import type { MonEvent } from '../protocol/event.js';
import type { SeqJson } from './types.js';

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
  return parseLine(text)?.event ?? null;
}

/** The event a line holds, and whether it is that line's JSON as is (nothing filled in). */
function parseLine(text: string): { event: MonEvent; asIs: boolean } | null {
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
  const asIs = typeof event.occurredAt === 'string';
  if (!asIs) event.occurredAt = event.receivedAt;
  return { event: event as MonEvent, asIs };
}

/** A stored event and its JSON text: the line as read when that is the event as is. */
export interface EventJson {
  event: MonEvent;
  json: string;
}

/**
 * `parseEventLine` that also hands back the line itself as the event's JSON, so a reader that sends
 * the event on (a history page) need not serialize it again; a line that needed filling in is
 * serialized from the event instead.
 */
export function parseEventJson(text: string): EventJson | null {
  const parsed = parseLine(text);
  if (!parsed) return null;
  return { event: parsed.event, json: parsed.asIs ? text : serializeEvent(parsed.event) };
}

/** `filter` narrowed to seq > after. */
export function aboveSeq(after: number, filter?: (event: MonEvent) => boolean): (event: MonEvent) => boolean {
  return (event) => event.seq > after && (!filter || filter(event));
}

/** Events serialized per slice, with a turn of the event loop between slices (live frames go first). */
export async function eventsAsJson(events: readonly MonEvent[], sliceSize = 200): Promise<SeqJson[]> {
  const out: SeqJson[] = [];
  for (let start = 0; start < events.length; start += sliceSize) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const event of events.slice(start, start + sliceSize))
      out.push({ seq: event.seq, json: serializeEvent(event) });
  }
  return out;
}

/** Blank lines (a newline written to close a torn line) are not events and not corruption. */
export function isBlankLine(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Sorts by seq and keeps the first copy of each seq (in input order), so reads stay ascending and
 * unique even when a damaged journal holds seqs out of order or twice.
 */
export function uniqueBySeq<T extends { seq: number }>(events: readonly T[]): T[] {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const out: T[] = [];
  for (const event of sorted) {
    if (out.length === 0 || out[out.length - 1]!.seq !== event.seq) out.push(event);
  }
  return out;
}
