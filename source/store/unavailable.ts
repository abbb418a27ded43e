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
