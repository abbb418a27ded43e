import { DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_REQUEST_BYTES } from '../protocol/event.js';

/** Bounds on what one event (and one request body) may be, so that no producer can exhaust the daemon. */
export interface PayloadLimits {
  /** Largest stored event in UTF-8 bytes (config `events.maxBytes`): a bigger one is cut to fit. */
  maxBytes: number;
  /** Largest accepted event or request body in UTF-8 bytes (config `events.maxRequestBytes`). */
  maxRequestBytes: number;
  /** Deepest nesting of objects/arrays; the event object itself is level 1. */
  maxDepth: number;
  /** Object keys plus array elements, counted over the whole event. */
  maxEntries: number;
  /** Longest `hook_event_name`, `session_id` and `tool_name`, in characters. */
  maxIdentifierLength: number;
  /** Longest `cwd`, in characters. */
  maxPathLength: number;
  /** Most events in one request body (an array). */
  maxBatchLength: number;
}

/** What callers pass: the sizes come from the config, the rest has sensible defaults. */
export type Limits = Partial<PayloadLimits> & Pick<PayloadLimits, 'maxBytes'>;

export const DEFAULT_LIMITS: PayloadLimits = {
  maxBytes: DEFAULT_MAX_EVENT_BYTES,
  maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
  maxDepth: 32,
  maxEntries: 50_000,
  maxIdentifierLength: 200,
  maxPathLength: 4096,
  maxBatchLength: 1000,
};

/** Limits resolved per limits object: the daemon passes one object for every event, checked once. */
const resolved = new WeakMap<object, Readonly<PayloadLimits>>();

/**
 * Fills the defaults; a request may always hold at least one largest event. Frozen, since one answer
 * is shared by every call with the same `limits` object (which callers do not change).
 */
export function resolveLimits(limits: Partial<PayloadLimits> = {}): Readonly<PayloadLimits> {
  const known = resolved.get(limits);
  if (known) return known;
  const merged = { ...DEFAULT_LIMITS, ...limits };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`pipeline limit ${key} must be a positive integer; got ${String(value)}`);
    }
  }
  if (limits.maxRequestBytes === undefined)
    merged.maxRequestBytes = Math.max(DEFAULT_LIMITS.maxRequestBytes, merged.maxBytes);
  const answer = Object.freeze(merged);
  resolved.set(limits, answer);
  return answer;
}
