/** A Claude Code session as mpm-mon models and serves it (DESIGN.md "Sessions"): the wire shapes, no logic. */

export type SessionState = 'active' | 'waiting' | 'failed' | 'ended';

export interface TokenTotals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const ZERO_TOKENS: Readonly<TokenTotals> = Object.freeze({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
});

/** One tool call, paired by `tool_use_id`. */
export interface ToolCall {
  id: string;
  tool: string;
  /** The subagent that ran it, null for the main agent. */
  agentId: string | null;
  /** Epoch ms of the PreToolUse (or of the first event seen for it). */
  startedAt: number;
  status: 'running' | 'succeeded' | 'failed';
  /** Claude Code's own `duration_ms` when it sent one, else the time between the two events. */
  durationMs: number | null;
  error: string | null;
  interrupted: boolean;
}

/** Per tool: how often, how often it failed, how long it took. */
export interface ToolStat {
  tool: string;
  calls: number;
  failures: number;
  /** null until a call of this tool has finished. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface Subagent {
  agentId: string;
  agentType: string | null;
  /** The subagent that started it (an `Agent` call made inside a subagent), null for the session. */
  parentId: string | null;
  state: 'running' | 'done';
  startedAt: string;
  endedAt: string | null;
  toolCalls: number;
  /** Its own transcript (SubagentStop's `agent_transcript_path`), read for its tokens. */
  transcriptPath: string | null;
}

/** Why a turn failed (StopFailure). */
export interface TurnFailure {
  error: string;
  at: string;
}

/** What the transcript says: absent until it was read, with the reason when it could not be. */
export interface TranscriptFigures {
  model: string | null;
  tokens: TokenTotals;
  /** Tokens per model (a session can switch models; subagents may use another). */
  byModel: Readonly<Record<string, TokenTotals>>;
  costUsd: number | null;
  contextPercent: number | null;
  /** `ok`, or why the figures are empty: `none` (no transcript named yet), `refused`, `missing`, `unreadable`, `malformed`. */
  status: 'ok' | 'none' | 'refused' | 'missing' | 'unreadable' | 'malformed';
  reason: string | null;
}

/** The public session object (`sessions --json`, the `sessions` ack, GET /sessions). */
export interface Session {
  sessionId: string;
  state: SessionState;
  cwd: string | null;
  model: string | null;
  startedAt: string;
  lastEventAt: string;
  events: number;
  prompts: number;
  toolCalls: number;
  toolFailures: number;
  /** Tool calls started and not finished. */
  toolsRunning: number;
  subagents: Subagent[];
  waitingSince: string | null;
  /** What it waits for: `permission`, `elicitation`, `idle`, or the notification's type. */
  waitingFor: string | null;
  tokens: TokenTotals;
  costUsd: number | null;
  contextPercent: number | null;
  lastError: TurnFailure | null;
  endedAt: string | null;
  tools: ToolStat[];
  transcript: { status: TranscriptFigures['status']; reason: string | null };
}
