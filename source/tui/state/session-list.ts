/**
 * The sessions the TUI shows: its own session model (live, from the events it receives) with the
 * figures only the daemon has (model, tokens, cost, context use, from the transcripts), plus the
 * sessions the daemon knows that this viewer's buffer no longer holds. Waiting sessions first.
 */
import type { SessionsAnswer } from '../../protocol/messages.js';
import type { Session, TranscriptFigures } from '../../protocol/session.js';
import { compareSessions, toSession, type SessionsState } from '../../sessions/index.js';

function figuresFrom(daemon: Session): TranscriptFigures {
  return {
    model: daemon.model,
    tokens: daemon.tokens,
    byModel: {},
    costUsd: daemon.costUsd,
    contextPercent: daemon.contextPercent,
    status: daemon.transcript.status,
    reason: daemon.transcript.reason,
  };
}

/** The union, each session once: the live model where this viewer has it, the daemon's figures on it. */
export function mergeSessions(model: SessionsState, answer: SessionsAnswer | null): Session[] {
  const fromDaemon = new Map((answer?.sessions ?? []).map((session) => [session.sessionId, session]));
  const out: Session[] = [];
  for (const record of model.byId.values()) {
    const daemon = fromDaemon.get(record.sessionId);
    fromDaemon.delete(record.sessionId);
    const merged = toSession(record, daemon ? figuresFrom(daemon) : undefined);
    // The daemon saw the whole session; this viewer maybe only its end.
    if (daemon && daemon.events > merged.events)
      out.push({
        ...daemon,
        state: merged.state,
        waitingSince: merged.waitingSince,
        waitingFor: merged.waitingFor,
      });
    else out.push(merged);
  }
  for (const session of fromDaemon.values()) out.push(session);
  return out.sort(compareSessions);
}

let cache: { model: SessionsState; answer: SessionsAnswer | null; value: Session[] } | null = null;

/** Memoised on the two inputs (views ask several times per frame). */
export function listedSessions(state: {
  sessions: SessionsState;
  daemonSessions: SessionsAnswer | null;
}): Session[] {
  if (cache && cache.model === state.sessions && cache.answer === state.daemonSessions) return cache.value;
  const value = mergeSessions(state.sessions, state.daemonSessions);
  cache = { model: state.sessions, answer: state.daemonSessions, value };
  return value;
}
