/** Bounds on what one event (and one request body) may be, so that no producer can exhaust the daemon. */
export interface PayloadLimits {
  /** Largest accepted event in UTF-8 bytes (config `events.maxBytes`). */
  maxBytes: number;
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
  /** Largest request body holding an array of events, in UTF-8 bytes. */
  maxBatchBytes: number;
}

/** What callers pass: `maxBytes` comes from the config, the rest has sensible defaults. */
export type Limits = Partial<PayloadLimits> & Pick<PayloadLimits, 'maxBytes'>;

export const DEFAULT_LIMITS: PayloadLimits = {
  maxBytes: 262_144,
  maxDepth: 32,
  maxEntries: 50_000,
  maxIdentifierLength: 200,
  maxPathLength: 4096,
  maxBatchLength: 1000,
  maxBatchBytes: 16 * 262_144,
};

/** Fills the defaults; a batch body may always hold at least one largest event. */
export function resolveLimits(limits: Partial<PayloadLimits> = {}): PayloadLimits {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`pipeline limit ${key} must be a positive integer; got ${String(value)}`);
    }
  }
  if (limits.maxBatchBytes === undefined) {
    merged.maxBatchBytes = Math.max(DEFAULT_LIMITS.maxBatchBytes, merged.maxBytes);
  }
  return merged;
}
