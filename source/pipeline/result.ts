import type { RefusalCode, WireError } from '../protocol/event.js';

/** Outcome of a pipeline stage: a value, or the refusal to send back to the producer. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

export function accept<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function refuse(code: RefusalCode, message: string): { ok: false; error: WireError } {
  return { ok: false, error: { code, message } };
}
