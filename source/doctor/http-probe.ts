/** One bounded HTTP GET to the daemon, classified: answered, refused, hung (timeout) or failed. */
import { daemonUrl } from '../client/discover.js';
import { httpJson } from '../client/http-json.js';
import type { TlsTrust } from '../client/tls-trust.js';
import type { HealthReport } from '../protocol/health.js';

export type ProbeOutcome =
  | { kind: 'answer'; status: number; body: unknown; ms: number }
  | { kind: 'refused'; ms: number }
  | { kind: 'timeout'; ms: number }
  | { kind: 'error'; code: string; message: string; ms: number };

export async function probe(
  target: { scheme?: 'http' | 'https'; host: string; port: number; tls?: TlsTrust },
  path: string,
  options: { timeoutMs: number; token?: string },
): Promise<ProbeOutcome> {
  const started = Date.now();
  try {
    const answer = await httpJson(`${daemonUrl(target)}${path}`, {
      timeoutMs: options.timeoutMs,
      token: options.token,
      ...(target.tls ? { tls: target.tls } : {}),
    });
    return { kind: 'answer', status: answer.status, body: answer.body, ms: Date.now() - started };
  } catch (error) {
    const ms = Date.now() - started;
    const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    if (code === 'ECONNREFUSED') return { kind: 'refused', ms };
    if (code === 'ETIMEDOUT') return { kind: 'timeout', ms };
    return { kind: 'error', code, message: error instanceof Error ? error.message : String(error), ms };
  }
}

/** True when a body looks like mpm-mon's GET /health (status + version + checks). */
export function isHealthBody(body: unknown): body is HealthReport {
  if (typeof body !== 'object' || body === null) return false;
  const value = body as Record<string, unknown>;
  return (
    (value.status === 'pass' || value.status === 'warn' || value.status === 'fail') &&
    typeof value.version === 'string' &&
    typeof value.checks === 'object' &&
    value.checks !== null
  );
}
