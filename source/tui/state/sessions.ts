/** Per-session facts derived from the event stream. Bounded: the least recently active are forgotten. */
import type { MonEvent } from '../../protocol/event.js';

export interface SessionInfo {
  id: string;
  cwd: string | null;
  startedAt: string;
  lastActivityAt: string;
  counts: Readonly<Record<string, number>>;
  total: number;
  ended: boolean;
  endReason: string | null;
}

export interface SessionsState {
  readonly byId: ReadonlyMap<string, SessionInfo>;
  readonly limit: number;
}

export function createSessions(limit: number): SessionsState {
  return { byId: new Map(), limit };
}

export function trackSessions(state: SessionsState, events: readonly MonEvent[]): SessionsState {
  if (events.length === 0) return state;
  const byId = new Map(state.byId);
  for (const event of events) {
    if (!event.sessionId) continue;
    const known = byId.get(event.sessionId);
    const reason = typeof event.data.reason === 'string' ? event.data.reason : null;
    const next: SessionInfo = {
      id: event.sessionId,
      cwd: event.cwd ?? known?.cwd ?? null,
      startedAt: known?.startedAt ?? event.receivedAt,
      lastActivityAt: event.receivedAt,
      counts: { ...known?.counts, [event.type]: (known?.counts[event.type] ?? 0) + 1 },
      total: (known?.total ?? 0) + 1,
      ended:
        event.type === 'SessionEnd' ? true : event.type === 'SessionStart' ? false : (known?.ended ?? false),
      endReason:
        event.type === 'SessionEnd'
          ? reason
          : event.type === 'SessionStart'
            ? null
            : (known?.endReason ?? null),
    };
    byId.delete(event.sessionId); // re-insert: Map order is least → most recently active
    byId.set(event.sessionId, next);
  }
  for (const key of byId.keys()) {
    if (byId.size <= state.limit) break;
    byId.delete(key);
  }
  return { byId, limit: state.limit };
}

/** Active sessions first, then by last activity, newest first. */
export function sortedSessions(state: SessionsState): SessionInfo[] {
  return [...state.byId.values()].sort(
    (a, b) => Number(a.ended) - Number(b.ended) || b.lastActivityAt.localeCompare(a.lastActivityAt),
  );
}
