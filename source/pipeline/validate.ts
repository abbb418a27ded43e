/**
 * Validate: is this one Claude Code hook event we are willing to store? Accepts raw text (an HTTP
 * body, a spooled line) or an already-parsed value (Socket.IO). Every refusal is a WireError whose
 * message names the place, the kind of value found and what was expected, never the value itself.
 */
import type { WireError } from '../protocol/event.js';
import { checkJsonShape, isPlainObject } from './check-shape.js';
import { describeKind } from './describe.js';
import { resolveLimits, type PayloadLimits } from './limits.js';
import { parseJsonText, REQUEST_SIZE_ADVICE } from './parse-json.js';
import { accept, refuse, type Result } from './result.js';

/** A validated hook payload: a plain JSON object with the fields the pipeline relies on. */
export interface HookPayload extends Record<string, unknown> {
  hook_event_name: string;
  session_id: string;
}

/** Raw JSON text (string or bytes) is parsed; anything else is taken as an already-parsed value. */
export function validateEvent(input: unknown, limits: Partial<PayloadLimits> = {}): Result<HookPayload> {
  return typeof input === 'string' || input instanceof Uint8Array
    ? validateEventText(input, limits)
    : validateEventValue(input, limits);
}

export function validateEventText(
  raw: string | Uint8Array,
  limits: Partial<PayloadLimits> = {},
): Result<HookPayload> {
  const resolved = resolveLimits(limits);
  const parsed = parseJsonText(raw, resolved.maxRequestBytes, 'event');
  if (!parsed.ok) return parsed;
  return checkEvent(parsed.value, resolved, '$');
}

/** The size of a parsed value is judged after scrubbing, where it is measured anyway (process-payload). */
export function validateEventValue(value: unknown, limits: Partial<PayloadLimits> = {}): Result<HookPayload> {
  return checkEvent(value, resolveLimits(limits), '$');
}

/** A request body: one event, or an array of events each judged on its own. */
export type BodyResult =
  { ok: true; array: boolean; items: Array<Result<HookPayload>> } | { ok: false; error: WireError };

export function validateBody(raw: string | Uint8Array, limits: Partial<PayloadLimits> = {}): BodyResult {
  const resolved = resolveLimits(limits);
  const parsed = parseJsonText(raw, resolved.maxRequestBytes, 'request body', REQUEST_SIZE_ADVICE);
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  if (!Array.isArray(body)) return { ok: true, array: false, items: [checkEvent(body, resolved, '$')] };
  if (body.length > resolved.maxBatchLength) {
    return refuse(
      'too_large',
      `$: found an array of ${body.length} events; expected at most ${resolved.maxBatchLength} per request. ` +
        'Split the batch.',
    );
  }
  return {
    ok: true,
    array: true,
    items: body.map((item, index) => checkEvent(item, resolved, `$[${index}]`)),
  };
}

function checkEvent(value: unknown, limits: PayloadLimits, root: string): Result<HookPayload> {
  if (!isPlainObject(value)) {
    return refuse(
      'invalid_event',
      `${root}: found ${describeKind(value)}; expected a JSON object (one hook event with hook_event_name and session_id).`,
    );
  }
  const shapeProblem = checkJsonShape(value, limits, root);
  if (shapeProblem) return { ok: false, error: shapeProblem };
  const fieldProblem = checkHookFields(value, limits, root);
  if (fieldProblem) return refuse('invalid_event', fieldProblem);
  return accept(value as HookPayload);
}

// C0 and C1 control characters: identifiers are shown in terminals, where they could inject escapes.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

interface FieldRule {
  key: string;
  required: boolean;
  maxLength: (limits: PayloadLimits) => number;
  identifier: boolean;
  expected: string;
}

const FIELD_RULES: FieldRule[] = [
  {
    key: 'hook_event_name',
    required: true,
    maxLength: (limits) => limits.maxIdentifierLength,
    identifier: true,
    expected: 'a non-empty string naming the hook event (e.g. "PreToolUse")',
  },
  {
    key: 'session_id',
    required: true,
    maxLength: (limits) => limits.maxIdentifierLength,
    identifier: true,
    expected: 'a non-empty string identifying the Claude Code session',
  },
  {
    key: 'tool_name',
    required: false,
    maxLength: (limits) => limits.maxIdentifierLength,
    identifier: true,
    expected: 'a non-empty string naming the tool, or no tool_name at all',
  },
  {
    key: 'agent_id',
    required: false,
    maxLength: (limits) => limits.maxIdentifierLength,
    identifier: true,
    expected: 'a non-empty string identifying the subagent, or no agent_id at all',
  },
  {
    key: 'cwd',
    required: false,
    maxLength: (limits) => limits.maxPathLength,
    identifier: false,
    expected: 'a non-empty string holding the working directory, or no cwd at all',
  },
];

/** The fields the event envelope is built from; returns a message for the first one that is wrong. */
function checkHookFields(
  payload: Record<string, unknown>,
  limits: PayloadLimits,
  root: string,
): string | undefined {
  for (const rule of FIELD_RULES) {
    const where = `${root}.${rule.key}`;
    const value = Object.hasOwn(payload, rule.key) ? payload[rule.key] : undefined;
    if (value === undefined || (value === null && !rule.required)) {
      if (rule.required) return `${where}: missing; expected ${rule.expected}.`;
      continue;
    }
    if (typeof value !== 'string' || value.length === 0) {
      return `${where}: found ${describeKind(value)}; expected ${rule.expected}.`;
    }
    const maxLength = rule.maxLength(limits);
    if (value.length > maxLength) {
      return `${where}: found a string of ${value.length} characters; expected at most ${maxLength}.`;
    }
    if (rule.identifier && CONTROL.test(value)) {
      return `${where}: found a string with control characters; expected ${rule.expected}, printable only.`;
    }
  }
  return undefined;
}
