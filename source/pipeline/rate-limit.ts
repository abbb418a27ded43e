/**
 * Rate limit: a token bucket per producer. Each bucket holds up to `burst` tokens and refills at
 * `ratePerSecond`; one event costs one token. Only the most recently active `maxProducers` are tracked:
 * the least recently seen is forgotten first (it comes back with a full bucket, which is what an idle
 * producer would have anyway).
 */
import type { WireError } from '../protocol/event.js';

export interface RateLimiterOptions {
  ratePerSecond: number;
  /** Largest burst; defaults to one second's worth (`ratePerSecond`). */
  burst?: number;
  maxProducers?: number;
  now: () => number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number; error: WireError };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export const DEFAULT_MAX_PRODUCERS = 10_000;

export class RateLimiter {
  readonly ratePerSecond: number;
  readonly burst: number;
  private readonly maxProducers: number;
  private readonly now: () => number;
  /** Insertion order is last-use order: the first bucket is the least recently used. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    this.ratePerSecond = requirePositive('ratePerSecond', options.ratePerSecond);
    this.burst = requirePositive('burst', options.burst ?? options.ratePerSecond);
    this.maxProducers = requirePositive('maxProducers', options.maxProducers ?? DEFAULT_MAX_PRODUCERS);
    this.now = options.now;
  }

  /** Producers currently tracked. */
  get size(): number {
    return this.buckets.size;
  }

  take(producer: string, count = 1): TakeResult {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`RateLimiter.take: count must be a non-negative integer; got ${String(count)}`);
    }
    const now = this.now();
    const bucket = this.refilled(producer, now);
    this.buckets.delete(producer);
    this.buckets.set(producer, bucket);
    this.forgetIdle(now);
    if (count <= bucket.tokens) {
      bucket.tokens -= count;
      return { ok: true };
    }
    if (count > this.burst) {
      const retryAfterMs = this.msUntil(this.burst - bucket.tokens);
      return this.refusal(
        retryAfterMs,
        `rate limit: a batch of ${count} events is more than the ${this.burst} a producer may send at once ` +
          `(events.ratePerSecond is ${this.ratePerSecond}); send at most ${this.burst} events per request.`,
      );
    }
    const retryAfterMs = this.msUntil(count - bucket.tokens);
    return this.refusal(
      retryAfterMs,
      `rate limit exceeded: at most ${this.ratePerSecond} events per second per producer ` +
        `(events.ratePerSecond); retry in ${retryAfterMs} ms.`,
    );
  }

  private refilled(producer: string, now: number): Bucket {
    const bucket = this.buckets.get(producer);
    if (bucket === undefined) return { tokens: this.burst, updatedAt: now };
    // A clock that steps back refills nothing rather than draining the bucket.
    const elapsedMs = Math.max(0, now - bucket.updatedAt);
    return {
      tokens: Math.min(this.burst, bucket.tokens + (elapsedMs * this.ratePerSecond) / 1000),
      updatedAt: Math.max(now, bucket.updatedAt),
    };
  }

  /** Drops least recently used buckets beyond the bound, and ones idle long enough to be full again. */
  private forgetIdle(now: number): void {
    const fullAfterMs = (this.burst * 1000) / this.ratePerSecond;
    for (const [producer, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxProducers && now - bucket.updatedAt < fullAfterMs) break;
      this.buckets.delete(producer);
    }
  }

  private msUntil(tokens: number): number {
    // The epsilon absorbs float error (0.01 token short must read 1 ms, not 1.0000000000000009 → 2).
    return Math.max(1, Math.ceil((tokens * 1000) / this.ratePerSecond - 1e-9));
  }

  private refusal(retryAfterMs: number, message: string): TakeResult {
    return { ok: false, retryAfterMs, error: { code: 'rate_limited', message, retryAfterMs } };
  }
}

function requirePositive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`RateLimiter: ${name} must be a positive number; got ${String(value)}`);
  }
  return value;
}
