/**
 * Events for tests, one builder per shape: `draft` (what the store appends), `storedEvent` (a stored
 * event with its seq), `makeEvent` (a Claude Code hook event as the TUI sees it, seqs counting up),
 * `hookPayload` (what a hook POSTs), and `eventBuilder` (stored events from the hand-written
 * payment-client session in test/fixtures/claude-hooks/story/; the captured ones sit one folder up).
 */
import { readFileSync } from 'node:fs';
import type { MonEvent } from '../../source/protocol/event.js';
import type { EventDraft } from '../../source/store/types.js';

export function draft(n: number, overrides: Partial<EventDraft> = {}): EventDraft {
  return {
    id: `id-${n}`,
    receivedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n % 60)).toISOString(),
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n % 60)).toISOString(),
    type: n % 2 === 0 ? 'PreToolUse' : 'PostToolUse',
    sessionId: `session-${n % 3}`,
    source: 'hook',
    tool: 'Bash',
    cwd: '/project',
    data: { n, command: `echo ${n}`, note: 'ü€𝄞' },
    ...overrides,
  };
}

export function drafts(from: number, count: number): EventDraft[] {
  return Array.from({ length: count }, (_, index) => draft(from + index));
}

/** A stored event: a Bash PreToolUse of one session, `echo <seq>`. */
export function storedEvent(seq: number, overrides: Partial<MonEvent> = {}): MonEvent {
  return {
    ...draft(seq),
    seq,
    type: 'PreToolUse',
    sessionId: 'session-1',
    data: { tool_input: { command: `echo ${seq}` } },
    ...overrides,
  };
}

/** A payload shaped like a Claude Code hook event, unique per `n`. */
export function hookPayload(
  n: number,
  session = 'sess-e2e',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    session_id: session,
    hook_event_name: 'PreToolUse',
    cwd: '/home/dev/project',
    tool_name: 'Bash',
    tool_input: { command: `echo ${n}` },
    tool_use_id: `toolu_${n}`,
    ...extra,
  };
}

export function seqsOf(events: readonly MonEvent[]): number[] {
  return events.map((item) => item.seq);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

export const SESSION = '5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f';
const BASE = Date.parse('2025-06-01T10:00:00.000Z');

/** Payloads shaped like Claude Code's hooks (see the fixtures of real hook payloads). */
export const PAYLOADS: Record<string, Record<string, unknown>> = {
  SessionStart: { source: 'startup', model: 'claude-sonnet-4-5' },
  UserPromptSubmit: {
    prompt: 'Add a retry with exponential backoff to the payment client\nand run its tests',
  },
  PreToolUse: {
    tool_name: 'Bash',
    tool_input: { command: 'npm test -- payment-client', description: 'Run the payment client tests' },
    tool_use_id: 'toolu_01',
  },
  PostToolUse: {
    tool_name: 'Bash',
    tool_input: { command: 'npm test -- payment-client' },
    tool_response: { stdout: 'ok' },
    tool_use_id: 'toolu_01',
  },
  Notification: { message: 'Claude needs your permission to use Bash' },
  Stop: { stop_hook_active: false },
  SessionEnd: { reason: 'prompt_input_exit' },
};

let nextSeq = 1;
export function resetSeq(): void {
  nextSeq = 1;
}

export function makeEvent(
  type: string,
  overrides: Partial<MonEvent> = {},
  dataOverrides: Record<string, unknown> = {},
): MonEvent {
  const seq = overrides.seq ?? nextSeq++;
  const data: Record<string, unknown> = {
    hook_event_name: type,
    session_id: SESSION,
    cwd: '/home/dev/shop',
    ...PAYLOADS[type],
    ...dataOverrides,
  };
  return {
    seq,
    id: `id-${seq}`,
    receivedAt: new Date(BASE + seq * 1000).toISOString(),
    occurredAt: new Date(BASE + seq * 1000).toISOString(),
    type,
    sessionId: SESSION,
    source: 'hook',
    tool: typeof data.tool_name === 'string' ? data.tool_name : null,
    cwd: '/home/dev/shop',
    data,
    ...overrides,
  };
}

/** A session's worth of events in order. */
export function sessionEvents(): MonEvent[] {
  return ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification', 'Stop'].map(
    (type) => makeEvent(type),
  );
}

export const FIXTURES_DIR = new URL('../fixtures/claude-hooks/story/', import.meta.url);

export type Payload = Record<string, unknown>;

/** A captured payload, by file name without `.json` (e.g. `PreToolUse`, `PreToolUse-secret`). */
export function fixture(name: string): Payload {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES_DIR), 'utf8')) as Payload;
}

export interface EventBuilder {
  /** One stored event for `type`, starting from `base` payload fields, seq and time advancing. */
  event(type: string, fields?: Payload, options?: { at?: number; seq?: number }): MonEvent;
  /** A stored event from a whole payload (its `hook_event_name` is the type). */
  fromPayload(payload: Payload, options?: { at?: number }): MonEvent;
  /** Epoch ms the next event gets unless told otherwise. */
  now: number;
}

/**
 * Events of one session: seqs from 1, times from `start` one second apart (or `at`), every payload
 * carrying `session_id`, `cwd` and `transcript_path` like Claude Code's.
 */
export function eventBuilder(
  base: Payload = {},
  start = Date.parse('2026-01-05T10:00:00.000Z'),
  stepMs = 1000,
): EventBuilder {
  let seq = 0;
  const builder: EventBuilder = {
    now: start,
    fromPayload(payload, options = {}) {
      seq += 1;
      const at = options.at ?? builder.now;
      builder.now = at + stepMs;
      const data: Payload = { ...payload };
      return {
        seq,
        id: `id-${seq}`,
        receivedAt: new Date(at).toISOString(),
        occurredAt: new Date(at).toISOString(),
        type: typeof data.hook_event_name === 'string' ? data.hook_event_name : '',
        sessionId: typeof data.session_id === 'string' ? data.session_id : '',
        source: 'hook',
        tool: typeof data.tool_name === 'string' ? data.tool_name : null,
        cwd: typeof data.cwd === 'string' ? data.cwd : null,
        data,
        ...(typeof data.agent_id === 'string' ? { agentId: data.agent_id } : {}),
      };
    },
    event(type, fields = {}, options = {}) {
      const payload = {
        session_id: 'session-1',
        cwd: '/home/dev/shop',
        ...base,
        hook_event_name: type,
        ...fields,
      };
      const built = builder.fromPayload(payload, options);
      if (options.seq !== undefined) built.seq = options.seq;
      return built;
    },
  };
  return builder;
}
