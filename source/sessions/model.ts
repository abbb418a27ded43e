/**
 * The session model, a pure reducer over stored events, following Claude Code's own:
 * - a tool call pairs PreToolUse with PostToolUse (succeeded) or PostToolUseFailure (failed, with the
 *   error and whether the user interrupted it) by `tool_use_id`; until then it runs. Its duration is
 *   Claude Code's `duration_ms` when the payload has one, else the time between the two events;
 * - a turn ends with Stop, or StopFailure (failed, with the error). StopFailure races SessionEnd, so
 *   whichever comes first, a failed turn stays failed;
 * - SubagentStart/SubagentStop make a tree of subagents under their session;
 * - a PermissionRequest, Elicitation or a waiting Notification makes the session `waiting` (since
 *   then) until a later event of that session shows it moved on.
 *
 * Copy on write per batch: `applyEvents` returns a new state (and new records for the sessions the
 * batch touched), so the TUI can hand it to React; the daemon applies batches, not single events.
 * Everything is bounded: sessions (least recently active forgotten), calls per session, samples per tool.
 */
import type { MonEvent } from '../protocol/event.js';
import { agentIdOf, durationField, eventTime, record, text, toolNameOf, toolUseId } from './event-fields.js';
import type { SessionState, Subagent, ToolCall, TurnFailure } from '../protocol/session.js';
import { showsMovedOn, waitKind } from './waiting.js';

export interface ToolAggregate {
  readonly calls: number;
  readonly failures: number;
  /** The latest durations (ms), at most `SAMPLES_PER_TOOL`. */
  readonly durations: readonly number[];
}

export interface SessionRecord {
  readonly sessionId: string;
  readonly cwd: string | null;
  /** SessionStart's `model` (the transcript's is preferred once read). */
  readonly startModel: string | null;
  readonly transcriptPath: string | null;
  readonly startedAt: string;
  readonly lastEventAt: string;
  readonly events: number;
  readonly prompts: number;
  readonly state: SessionState;
  readonly waitingSince: string | null;
  readonly waitingFor: string | null;
  readonly lastError: TurnFailure | null;
  readonly endedAt: string | null;
  readonly toolCalls: number;
  readonly toolFailures: number;
  readonly calls: ReadonlyMap<string, ToolCall>;
  readonly tools: ReadonlyMap<string, ToolAggregate>;
  readonly subagents: ReadonlyMap<string, Subagent>;
}

export interface SessionsLimits {
  sessions: number;
  callsPerSession: number;
}

export interface SessionsState {
  readonly byId: ReadonlyMap<string, SessionRecord>;
  readonly limits: SessionsLimits;
}

export const DEFAULT_LIMITS: SessionsLimits = { sessions: 1000, callsPerSession: 500 };
export const SAMPLES_PER_TOOL = 200;
const MAX_ERROR_CHARS = 500;
/** Tools that start a subagent. */
const AGENT_TOOLS: ReadonlySet<string> = new Set(['Agent', 'Task']);

export function createSessionsState(limits: Partial<SessionsLimits> = {}): SessionsState {
  return { byId: new Map(), limits: { ...DEFAULT_LIMITS, ...limits } };
}

/** A record being changed within one batch: its collections are private copies. */
type Draft = {
  -readonly [K in keyof SessionRecord]: SessionRecord[K] extends ReadonlyMap<infer Key, infer Value>
    ? Map<Key, Value>
    : SessionRecord[K];
};

function emptyRecord(sessionId: string, at: string): SessionRecord {
  return {
    sessionId,
    cwd: null,
    startModel: null,
    transcriptPath: null,
    startedAt: at,
    lastEventAt: at,
    events: 0,
    prompts: 0,
    state: 'active',
    waitingSince: null,
    waitingFor: null,
    lastError: null,
    endedAt: null,
    toolCalls: 0,
    toolFailures: 0,
    calls: new Map(),
    tools: new Map(),
    subagents: new Map(),
  };
}

function draftOf(session: SessionRecord): Draft {
  return {
    ...session,
    calls: new Map(session.calls),
    tools: new Map(session.tools),
    subagents: new Map(session.subagents),
  };
}

export function applyEvents(state: SessionsState, events: readonly MonEvent[]): SessionsState {
  if (events.length === 0) return state;
  const byId = new Map(state.byId);
  const drafts = new Map<string, Draft>();
  for (const event of events) {
    if (!event.sessionId) continue;
    let draft = drafts.get(event.sessionId);
    if (!draft) {
      draft = draftOf(byId.get(event.sessionId) ?? emptyRecord(event.sessionId, eventTime(event)));
      drafts.set(event.sessionId, draft);
    }
    applyEvent(draft, event, state.limits);
    byId.delete(event.sessionId); // re-insert: Map order is least → most recently active
    byId.set(event.sessionId, draft);
  }
  for (const key of byId.keys()) {
    if (byId.size <= state.limits.sessions) break;
    byId.delete(key);
  }
  return { byId, limits: state.limits };
}

function applyEvent(session: Draft, event: MonEvent, limits: SessionsLimits): void {
  const at = eventTime(event);
  const data = record(event.data);
  session.events += 1;
  if (at < session.startedAt) session.startedAt = at;
  if (at > session.lastEventAt) session.lastEventAt = at;
  session.cwd = event.cwd ?? session.cwd;
  session.transcriptPath = text(data.transcript_path) ?? session.transcriptPath;

  if (session.state === 'waiting' && showsMovedOn(event)) {
    session.state = 'active';
    session.waitingSince = null;
    session.waitingFor = null;
  }
  const wait = waitKind(event);
  if (wait && session.endedAt === null && session.state !== 'failed') {
    session.state = 'waiting';
    session.waitingSince ??= at;
    session.waitingFor = wait;
  }

  switch (event.type) {
    case 'SessionStart':
      session.startModel = text(data.model) ?? session.startModel;
      session.state = 'active';
      session.endedAt = null;
      break;
    case 'UserPromptSubmit':
      session.prompts += 1;
      session.state = 'active';
      session.endedAt = null;
      break;
    case 'Stop':
      if (session.endedAt === null) session.state = 'active';
      break;
    case 'StopFailure':
      session.state = 'failed';
      session.waitingSince = null;
      session.waitingFor = null;
      session.lastError = {
        error: cut(text(data.error) ?? text(data.error_details) ?? text(data.message) ?? 'unknown'),
        at,
      };
      break;
    case 'SessionEnd':
      session.endedAt = at;
      session.waitingSince = null;
      session.waitingFor = null;
      // StopFailure may arrive a few ms before SessionEnd: the failed turn stays failed.
      if (session.state !== 'failed') session.state = 'ended';
      break;
    case 'PreToolUse':
      startCall(session, event, Date.parse(at), limits);
      break;
    case 'PostToolUse':
    case 'PostToolUseFailure':
      finishCall(session, event, Date.parse(at), limits);
      break;
    case 'SubagentStart':
      startSubagent(session, event, at);
      break;
    case 'SubagentStop':
      stopSubagent(session, event, at);
      break;
  }
}

function cut(value: string): string {
  return value.length > MAX_ERROR_CHARS ? `${value.slice(0, MAX_ERROR_CHARS - 1)}…` : value;
}

function countCall(session: Draft, call: ToolCall): void {
  session.toolCalls += 1;
  const aggregate = session.tools.get(call.tool);
  session.tools.set(call.tool, {
    calls: (aggregate?.calls ?? 0) + 1,
    failures: aggregate?.failures ?? 0,
    durations: aggregate?.durations ?? [],
  });
  if (call.agentId) {
    const agent = session.subagents.get(call.agentId);
    if (agent) session.subagents.set(call.agentId, { ...agent, toolCalls: agent.toolCalls + 1 });
  }
}

function storeCall(session: Draft, call: ToolCall, limits: SessionsLimits): void {
  session.calls.set(call.id, call);
  for (const key of session.calls.keys()) {
    if (session.calls.size <= limits.callsPerSession) break;
    session.calls.delete(key);
  }
}

/** A call as its PreToolUse announces it (or as its end implies, when the start was missed). */
function runningCall(id: string, event: MonEvent, at: number): ToolCall {
  return {
    id,
    tool: toolNameOf(event),
    agentId: agentIdOf(event),
    startedAt: at,
    status: 'running',
    durationMs: null,
    error: null,
    interrupted: false,
  };
}

function startCall(session: Draft, event: MonEvent, at: number, limits: SessionsLimits): void {
  const id = toolUseId(event);
  if (!id || session.calls.has(id)) return;
  const call = runningCall(id, event, at);
  countCall(session, call);
  storeCall(session, call, limits);
}

function finishCall(session: Draft, event: MonEvent, at: number, limits: SessionsLimits): void {
  const id = toolUseId(event);
  if (!id) return;
  const known = session.calls.get(id);
  if (known && known.status !== 'running') return; // a repeat of an end already counted
  const failed = event.type === 'PostToolUseFailure';
  const data = record(event.data);
  const base = known ?? runningCall(id, event, at);
  if (!known) countCall(session, base); // its PreToolUse was missed (forgotten, or before this viewer)
  const durationMs = durationField(event) ?? (known ? Math.max(0, at - known.startedAt) : null);
  const call: ToolCall = {
    ...base,
    status: failed ? 'failed' : 'succeeded',
    durationMs,
    error: failed ? cut(text(data.error) ?? 'unknown') : null,
    interrupted: failed && data.is_interrupt === true,
  };
  storeCall(session, call, limits);
  const aggregate = session.tools.get(call.tool)!;
  session.tools.set(call.tool, {
    calls: aggregate.calls,
    failures: aggregate.failures + (failed ? 1 : 0),
    durations:
      durationMs === null
        ? aggregate.durations
        : [...aggregate.durations, durationMs].slice(-SAMPLES_PER_TOOL),
  });
  if (failed) session.toolFailures += 1;
}

/** The subagent whose `Agent` call is running now, if that call was made inside a subagent. */
function parentAgent(session: Draft): string | null {
  let parent: string | null = null;
  for (const call of session.calls.values())
    if (call.status === 'running' && AGENT_TOOLS.has(call.tool)) parent = call.agentId;
  return parent;
}

function startSubagent(session: Draft, event: MonEvent, at: string): void {
  const agentId = agentIdOf(event);
  if (!agentId || session.subagents.has(agentId)) return;
  session.subagents.set(agentId, {
    agentId,
    agentType: text(record(event.data).agent_type),
    parentId: parentAgent(session),
    state: 'running',
    startedAt: at,
    endedAt: null,
    toolCalls: 0,
    transcriptPath: null,
  });
}

function stopSubagent(session: Draft, event: MonEvent, at: string): void {
  const agentId = agentIdOf(event);
  if (!agentId) return;
  const data = record(event.data);
  const known = session.subagents.get(agentId);
  session.subagents.set(agentId, {
    agentId,
    agentType: text(data.agent_type) ?? known?.agentType ?? null,
    parentId: known?.parentId ?? null,
    state: 'done',
    startedAt: known?.startedAt ?? at,
    endedAt: at,
    toolCalls: known?.toolCalls ?? 0,
    transcriptPath: text(data.agent_transcript_path) ?? known?.transcriptPath ?? null,
  });
}

/** The paired call of a tool event, if its session and tool_use_id are known. */
export function toolCallOf(state: SessionsState, event: MonEvent): ToolCall | null {
  const id = toolUseId(event);
  if (!id) return null;
  return state.byId.get(event.sessionId)?.calls.get(id) ?? null;
}
