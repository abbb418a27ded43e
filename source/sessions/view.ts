/** From the model's records to the public session object, its order and its tool statistics. Pure. */
import type { SessionRecord, SessionsState, ToolAggregate } from './model.js';
import { percentile } from './percentile.js';
import {
  ZERO_TOKENS,
  type Session,
  type SessionState,
  type Subagent,
  type ToolStat,
  type TranscriptFigures,
} from '../protocol/session.js';

/** The figures of a session whose transcript was not read (yet). */
export const NO_FIGURES: TranscriptFigures = Object.freeze({
  model: null,
  tokens: ZERO_TOKENS,
  byModel: {},
  costUsd: null,
  contextPercent: null,
  status: 'none',
  reason: 'no transcript read yet',
});

function statOf(tool: string, aggregate: ToolAggregate): ToolStat {
  return {
    tool,
    calls: aggregate.calls,
    failures: aggregate.failures,
    p50Ms: percentile(aggregate.durations, 50),
    p95Ms: percentile(aggregate.durations, 95),
  };
}

/** Most used first. */
function sortStats(stats: ToolStat[]): ToolStat[] {
  return stats.sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
}

export function toolStats(session: SessionRecord): ToolStat[] {
  return sortStats([...session.tools].map(([tool, aggregate]) => statOf(tool, aggregate)));
}

/** Per tool across sessions: counts add up, percentiles over the sessions' samples together. */
export function toolStatsAcross(sessions: Iterable<SessionRecord>): ToolStat[] {
  const merged = new Map<string, { calls: number; failures: number; durations: number[] }>();
  for (const session of sessions) {
    for (const [tool, aggregate] of session.tools) {
      const into = merged.get(tool) ?? { calls: 0, failures: 0, durations: [] };
      into.calls += aggregate.calls;
      into.failures += aggregate.failures;
      for (const duration of aggregate.durations) into.durations.push(duration);
      merged.set(tool, into);
    }
  }
  return sortStats([...merged].map(([tool, aggregate]) => statOf(tool, aggregate)));
}

/** Parents before their children, each level in start order; an unknown parent counts as the session. */
export function subagentTree(session: SessionRecord): Array<Subagent & { depth: number }> {
  const byStart = [...session.subagents.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const parentOf = (agent: Subagent): string | null =>
    agent.parentId !== null && session.subagents.has(agent.parentId) ? agent.parentId : null;
  const out: Array<Subagent & { depth: number }> = [];
  const placed = new Set<string>();
  const visit = (parent: string | null, depth: number): void => {
    for (const agent of byStart) {
      if (placed.has(agent.agentId) || parentOf(agent) !== parent) continue;
      placed.add(agent.agentId);
      out.push({ ...agent, depth });
      visit(agent.agentId, depth + 1);
    }
  };
  visit(null, 0);
  // Parents that point at each other (never sent by Claude Code, but possible in a payload): roots.
  for (const agent of byStart) if (!placed.has(agent.agentId)) out.push({ ...agent, depth: 0 });
  return out;
}

export function toSession(session: SessionRecord, figures: TranscriptFigures = NO_FIGURES): Session {
  let running = 0;
  for (const call of session.calls.values()) if (call.status === 'running') running += 1;
  return {
    sessionId: session.sessionId,
    state: session.state,
    cwd: session.cwd,
    model: figures.model ?? session.startModel,
    startedAt: session.startedAt,
    lastEventAt: session.lastEventAt,
    events: session.events,
    prompts: session.prompts,
    toolCalls: session.toolCalls,
    toolFailures: session.toolFailures,
    toolsRunning: running,
    subagents: subagentTree(session).map(({ depth: _depth, ...agent }) => agent),
    waitingSince: session.waitingSince,
    waitingFor: session.waitingFor,
    tokens: { ...figures.tokens },
    costUsd: figures.costUsd,
    contextPercent: figures.contextPercent,
    lastError: session.lastError,
    endedAt: session.endedAt,
    tools: toolStats(session),
    transcript: { status: figures.status, reason: figures.reason },
  };
}

const STATE_RANK: Record<SessionState, number> = { waiting: 0, active: 1, failed: 2, ended: 3 };

/** Waiting first (longest wait first), then active, failed, ended; each by last event, newest first. */
export function compareSessions(
  a: Pick<Session, 'state' | 'waitingSince' | 'lastEventAt'>,
  b: Pick<Session, 'state' | 'waitingSince' | 'lastEventAt'>,
): number {
  return (
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    (a.state === 'waiting' ? (a.waitingSince ?? '').localeCompare(b.waitingSince ?? '') : 0) ||
    b.lastEventAt.localeCompare(a.lastEventAt)
  );
}

export function sortedRecords(state: SessionsState): SessionRecord[] {
  return [...state.byId.values()].sort(compareSessions);
}

export function waitingCount(state: SessionsState): number {
  let count = 0;
  for (const session of state.byId.values()) if (session.state === 'waiting') count += 1;
  return count;
}
