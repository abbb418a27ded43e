/** The event: what the pipeline stores, journals and sends to viewers (DESIGN.md §1 "The event"). */
export interface MonEvent {
  /** Positive, only grows, across restarts too. */
  seq: number;
  /** Stable content id (hash of the raw payload); duplicates share it. */
  id: string;
  /** ISO-8601 time the daemon accepted it. */
  receivedAt: string;
  /** The hook's `hook_event_name`, e.g. `PreToolUse`. */
  type: string;
  sessionId: string;
  /** Who handed it in: `hook` (the command), `http`, `socket`, `spool`, `probe`. */
  source: EventSource;
  /** `tool_name` for tool events, otherwise null. */
  tool: string | null;
  cwd: string | null;
  /** The payload after scrubbing. */
  data: Record<string, unknown>;
}

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
  | 'journal_unavailable'
  | 'store_unavailable'
  | 'shutting_down'
  | 'internal';

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
