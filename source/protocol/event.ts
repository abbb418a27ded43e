/** The event: what the pipeline stores, journals and sends to viewers (DESIGN.md §1 "The event"). */
export interface MonEvent {
  /** Positive, only grows, across restarts too. */
  seq: number;
  /** Stable content id (keyed hash of the scrubbed payload); duplicates share it. */
  id: string;
  /** ISO-8601 time the daemon stored it. */
  receivedAt: string;
  /** ISO-8601 time the hook read the payload (a spooled event keeps it); receivedAt when the producer did not say. */
  occurredAt: string;
  /** The hook's `hook_event_name`, whatever Claude Code sends (unknown names are kept, never refused). */
  type: string;
  sessionId: string;
  /** The subagent that emitted it (the payload's `agent_id`), when Claude Code says so. */
  agentId?: string;
  /** Who handed it in: `hook` (the command), `http`, `socket`, `spool`, `probe`. */
  source: EventSource;
  /** `tool_name` for tool events, otherwise null. */
  tool: string | null;
  cwd: string | null;
  /** The payload after scrubbing (and cutting, see `truncated`). */
  data: Record<string, unknown>;
  /** The string fields cut so that the event fits `events.maxBytes`; absent when nothing was cut. */
  truncated?: TruncatedField[];
}

/** One cut: where in `data` (`$.tool_input.content`) and how many UTF-8 bytes the value had. */
export interface TruncatedField {
  path: string;
  originalBytes: number;
}

/** `events.maxBytes` by default: the hook cuts to this unless `MPM_MON_EVENTS_MAX_BYTES` says otherwise. */
export const DEFAULT_MAX_EVENT_BYTES = 262_144;
/** `events.maxRequestBytes` by default: above it a request or a Socket.IO message is refused. */
export const DEFAULT_MAX_REQUEST_BYTES = 8_388_608;

/** Headers the hook sets on POST /events: when it read the payload, and what it cut (JSON). */
export const OCCURRED_AT_HEADER = 'x-mpm-mon-occurred-at';
export const TRUNCATED_HEADER = 'x-mpm-mon-truncated';

export type EventSource = 'hook' | 'http' | 'socket' | 'spool' | 'probe';

/** Every Claude Code hook event mpm-mon registers for. */
export const HOOK_EVENT_NAMES = [
  'SessionStart',
  'SessionEnd',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Notification',
  'Stop',
  'SubagentStop',
  'PreCompact',
] as const;
export type HookEventName = (typeof HOOK_EVENT_NAMES)[number];

/** A refusal, on HTTP (`{error}` body) and in acks (`{ok: false, error}`). */
export interface WireError {
  code: RefusalCode;
  message: string;
  /** For `rate_limited`: how long to wait before retrying. */
  retryAfterMs?: number;
}

export type RefusalCode =
  | 'invalid_json'
  | 'invalid_event'
  | 'too_large'
  | 'too_deep'
  | 'rate_limited'
  | 'unauthorized'
  | 'forbidden_origin'
  | 'forbidden_host'
  | 'not_found'
  | 'too_many_connections'
  | 'handshake_timeout'
  | 'forbidden_namespace'
  | 'too_many_replays'
  | 'journal_unavailable'
  | 'store_unavailable'
  | 'shutting_down'
  | 'internal';

/**
 * Refusals past a limit on what clients may hold (connections, handshakes, replays, rate): the
 * clients' load, counted and shown in health as a warning with the cause, never acted on by recovery.
 */
export const LOAD_REFUSALS: readonly RefusalCode[] = [
  'too_many_connections',
  'handshake_timeout',
  'forbidden_namespace',
  'too_many_replays',
  'rate_limited',
];

/** HTTP status for each refusal code. */
export const REFUSAL_STATUS: Record<RefusalCode, number> = {
  invalid_json: 400,
  invalid_event: 400,
  too_large: 413,
  too_deep: 400,
  rate_limited: 429,
  unauthorized: 401,
  forbidden_origin: 403,
  forbidden_host: 403,
  not_found: 404,
  too_many_connections: 503,
  handshake_timeout: 408,
  forbidden_namespace: 404,
  too_many_replays: 429,
  journal_unavailable: 503,
  store_unavailable: 503,
  shutting_down: 503,
  internal: 500,
};

/** Ack for one ingested event (Socket.IO `/ingest` and each item of POST /events). */
export type IngestAck = { ok: true; seq: number; duplicate?: boolean } | { ok: false; error: WireError };

/** POST /events answer (202). */
export interface IngestResponse {
  accepted: number;
  seqs: number[];
  duplicates?: number;
}
