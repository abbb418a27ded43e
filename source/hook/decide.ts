/**
 * The hook's decisions as pure functions: is the input worth sending, and what to do with the
 * daemon's answer. Rule of thumb: spool what a later attempt could deliver; record (never spool)
 * what would fail again; record without payload text, which may hold secrets.
 */
import type { SpoolErrorRecord } from '../store/spool.js';
import type { PostResult } from './post-event.js';
import type { StdinResult } from './read-input.js';
import { isTlsFailure } from '../client/tls-trust.js';

export type InputCheck =
  { ok: true; raw: string; value: Record<string, unknown> } | { ok: false; record: SpoolErrorRecord };

export function checkInput(input: StdinResult): InputCheck {
  if (input.kind === 'too_large')
    return { ok: false, record: { reason: 'input_too_large', size: input.bytes } };
  if (input.kind === 'failed')
    return { ok: false, record: { reason: 'input_unreadable', size: input.bytes, code: input.code } };
  if (input.text.trim() === '')
    return {
      ok: false,
      record: { reason: input.kind === 'timeout' ? 'input_timeout' : 'empty_input', size: input.bytes },
    };
  let value: unknown;
  try {
    value = JSON.parse(input.text);
  } catch {
    return {
      ok: false,
      record: { reason: input.kind === 'timeout' ? 'input_timeout' : 'invalid_json', size: input.bytes },
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, record: { reason: 'not_an_object', size: input.bytes } };
  return { ok: true, raw: input.text, value: value as Record<string, unknown> };
}

export type PostDecision =
  | { action: 'done' }
  /** Keep it for the daemon to drain; `record` when the cause deserves a line in errors.log. */
  | { action: 'spool'; record?: SpoolErrorRecord }
  /** The daemon said the payload itself is bad: sending it again would fail again. */
  | { action: 'drop'; record: SpoolErrorRecord };

/** The daemon's refusal code (`{error: {code}}`), if it is a plain identifier. */
export function refusalCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    const code = parsed?.error?.code;
    return typeof code === 'string' && /^[a-z_]{1,40}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

export function decideAfterPost(result: PostResult, size: number): PostDecision {
  // The daemon's certificate did not verify: kept, and the cause said (never posted without it).
  if (result.kind === 'failed' && isTlsFailure(result.code))
    return { action: 'spool', record: { reason: 'tls_refused', size, code: result.code } };
  if (result.kind !== 'answered') return { action: 'spool' };
  const { status } = result;
  if (status >= 200 && status < 300) return { action: 'done' };
  const code = refusalCode(result.body);
  if (status === 400 || status === 413)
    return { action: 'drop', record: { reason: 'rejected', size, status, code } };
  // Daemon busy or going down: the spool is exactly for this, nothing to report.
  if (status === 429 || status >= 500) return { action: 'spool' };
  // 401/403/404…: a token out of date or someone else on the port; keep the payload, say why.
  return { action: 'spool', record: { reason: 'refused', size, status, code } };
}

export const HOOK_TIMEOUT = { defaultMs: 200, minMs: 10, maxMs: 5000 } as const;

/** The POST timeout: explicit option, then `MPM_MON_HOOK_TIMEOUT_MS`, then the default. Never throws. */
export function hookTimeoutMs(explicit: number | undefined, env: NodeJS.ProcessEnv): number {
  const candidate = explicit ?? (env.MPM_MON_HOOK_TIMEOUT_MS ? Number(env.MPM_MON_HOOK_TIMEOUT_MS) : NaN);
  if (!Number.isFinite(candidate)) return HOOK_TIMEOUT.defaultMs;
  return Math.min(HOOK_TIMEOUT.maxMs, Math.max(HOOK_TIMEOUT.minMs, Math.round(candidate)));
}
