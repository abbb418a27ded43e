/** Exponential backoff with jitter for reconnecting viewers. Pure: `random` is injected. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** 0..1: the delay is spread uniformly over ±factor of its value. */
  randomizationFactor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, randomizationFactor: 0.5 };

/** Delay before reconnect attempt `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const base = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  const spread = base * options.randomizationFactor;
  const jittered = base - spread + random() * 2 * spread;
  return Math.max(0, Math.min(options.maxMs, Math.round(jittered)));
}
