/**
 * Which events a query wants: one matcher shared by the daemon's `history` request, `mpm-mon events`
 * reading the journal on disk, and `events --follow` on the live stream, so all three agree.
 */
import type { MonEvent } from './event.js';

export interface EventFilter {
  /** A session ID or its prefix (any case). */
  sessionId?: string;
  /** A hook event type, any case (`pretooluse` is PreToolUse). */
  type?: string;
  /** Only seq > after. */
  after?: number;
  /** Only seq < before. */
  before?: number;
  /** Only events received at or after this ISO time. */
  sinceTime?: string;
  /** Only events received at or before this ISO time. */
  untilTime?: string;
}

/** A matcher for the filter, or undefined when it lets everything through. */
export function eventMatcher(filter: EventFilter): ((event: MonEvent) => boolean) | undefined {
  const session = filter.sessionId?.toLowerCase();
  const type = filter.type?.toLowerCase();
  const after = filter.after;
  const before = filter.before;
  const since = filter.sinceTime === undefined ? undefined : Date.parse(filter.sinceTime);
  const until = filter.untilTime === undefined ? undefined : Date.parse(filter.untilTime);
  if (
    !session &&
    !type &&
    after === undefined &&
    before === undefined &&
    since === undefined &&
    until === undefined
  )
    return undefined;
  return (event) => {
    if (session && !event.sessionId.toLowerCase().startsWith(session)) return false;
    if (type && event.type.toLowerCase() !== type) return false;
    if (after !== undefined && event.seq <= after) return false;
    if (before !== undefined && event.seq >= before) return false;
    if (since !== undefined || until !== undefined) {
      const at = Date.parse(event.receivedAt);
      if (since !== undefined && !(at >= since)) return false;
      if (until !== undefined && !(at <= until)) return false;
    }
    return true;
  };
}
