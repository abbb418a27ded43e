/**
 * The order of the Events view's list. The whole stream stays in seq order (the order the daemon
 * stored it: the live tail never reshuffles under the cursor); a session's list is in the order things
 * happened (`occurredAt`, then seq), so events spooled during an outage and drained late land where
 * they belong. Bookkeeping events are folded out unless shown or asked for by type.
 */
import { BOOKKEEPING_EVENTS } from '../../claude/hook-events.js';
import type { MonEvent } from '../../protocol/event.js';
import { eventTime } from '../../sessions/index.js';
import { lowerBoundBySeq } from './events-buffer.js';
import type { EventFilter } from './filter.js';

export function isBookkeeping(event: MonEvent): boolean {
  return BOOKKEEPING_EVENTS.has(event.type);
}

/** A filter naming one session (`session:ID`, not inverted): its list is ordered by occurrence. */
export function isSessionFilter(filter: EventFilter): boolean {
  return filter.terms.some((term) => term.kind === 'session' && !term.negate);
}

/** A filter asking for a type by name (`type:X`) shows bookkeeping events of that type. */
export function asksForType(filter: EventFilter): boolean {
  return filter.terms.some((term) => term.kind === 'type' && !term.negate);
}

/** By when it happened, then by seq (stable for equal times). Returns the input when already in order. */
export function byOccurrence(events: readonly MonEvent[]): readonly MonEvent[] {
  let ordered = true;
  for (let index = 1; index < events.length && ordered; index += 1)
    ordered = compareOccurrence(events[index - 1]!, events[index]!) <= 0;
  return ordered ? events : [...events].sort(compareOccurrence);
}

export function compareOccurrence(a: MonEvent, b: MonEvent): number {
  const at = Date.parse(eventTime(a));
  const bt = Date.parse(eventTime(b));
  return (Number.isNaN(at) || Number.isNaN(bt) ? 0 : at - bt) || a.seq - b.seq;
}

/**
 * Where the event with `seq` is in `list` (seq order or occurrence order); when it is not there, where
 * it would go in seq order (the nearest row to an event the filter no longer shows).
 */
export function positionOfSeq(list: readonly MonEvent[], seq: number): number {
  const bound = lowerBoundBySeq(list, seq);
  if (list[bound]?.seq === seq) return bound;
  const found = list.findIndex((event) => event.seq === seq);
  return found === -1 ? Math.min(bound, list.length - 1) : found;
}
