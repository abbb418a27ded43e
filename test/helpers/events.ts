/**
 * Builds stored events (MonEvent) from Claude Code hook payloads: the real ones captured in
 * test/fixtures/claude-hooks/, or small ones for the events a fixture does not cover yet.
 */
import { readFileSync } from 'node:fs';
import type { MonEvent } from '../../source/protocol/event.js';

export const FIXTURES_DIR = new URL('../fixtures/claude-hooks/', import.meta.url);

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
