import { MpmError } from '../errors/base.js';

/** A shared store (Redis) that cannot be reached now: the write is refused with 503 and retried later. */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';

  constructor(what: string, cause?: unknown, hint?: string) {
    const reason = cause instanceof Error ? cause.message : cause === undefined ? '' : JSON.stringify(cause);
    super(`${what}: the store is unreachable${reason ? ` (${reason})` : ''}${hint ? `; ${hint}` : ''}`);
    this.name = 'StoreUnavailableError';
  }
}

export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreUnavailableError;
}

/**
 * The Redis store could not connect at start-up: the daemon does not start. An expected failure with
 * what to do (a TLS or password refusal says so), the URL's password masked.
 */
export class RedisUnreachableError extends MpmError {
  constructor(facts: { url: string; reason: string; hint: string }) {
    super('REDIS_UNREACHABLE', `cannot reach Redis at ${facts.url} (store.redis.url): ${facts.reason}`, {
      context: { url: facts.url, reason: facts.reason },
      steps: [
        `${facts.hint[0]!.toUpperCase()}${facts.hint.slice(1)}.`,
        'Run `mpm-mon doctor` to check every configuration source.',
      ],
    });
  }
}
