/** What the session model reads from an event: its time, its agent, its tool call. Pure. */
import type { MonEvent } from '../protocol/event.js';

type Data = Record<string, unknown>;

export function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function record(value: unknown): Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : {};
}

/** When it happened: the hook's `occurredAt` (a spooled event keeps it), else when the daemon stored it. */
export function eventTime(event: MonEvent): string {
  return text(event.occurredAt) ?? event.receivedAt;
}

/**
 * The subagent that emitted the event (the event's `agentId`, else the payload's `agent_id`); for
 * SubagentStart and SubagentStop it is the subagent they are about.
 */
export function agentIdOf(event: MonEvent): string | null {
  return text(event.agentId) ?? text(record(event.data).agent_id);
}

/** The tool_use_id that pairs PreToolUse with PostToolUse or PostToolUseFailure, if any. */
export function toolUseId(event: MonEvent): string | null {
  return text(record(event.data).tool_use_id);
}

export function toolNameOf(event: MonEvent): string {
  return event.tool ?? text(record(event.data).tool_name) ?? 'unknown';
}

/** A number field of the payload, when it is a finite number ≥ 0. */
export function durationField(event: MonEvent, key = 'duration_ms'): number | null {
  const value = record(event.data)[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

export const TOOL_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure']);
