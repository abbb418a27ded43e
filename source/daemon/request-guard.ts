/**
 * Who may talk to the daemon (pure). Any web page can open a request or a WebSocket to localhost, so
 * a request that carries a browser `Origin`, or a `Host` that is not the daemon's own address (DNS
 * rebinding), is refused whatever its token. The token is compared in constant time.
 */
import type { RefusalCode } from '../protocol/event.js';
import { tokensEqual } from '../instance/token.js';
import { scrubString } from '../pipeline/scrub.js';

export interface GuardRefusal {
  code: Extract<RefusalCode, 'forbidden_origin' | 'forbidden_host' | 'unauthorized'>;
  message: string;
}

/** The Host header values that name this daemon: loopback names and the configured host, with the port. */
export function allowedHosts(host: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  const own = [...names].map((name) => `${name}:${port}`.toLowerCase());
  // `allowedHosts`: each entry exactly as the Host header carries it (a proxy's address and port).
  return new Set([...own, ...extra.map((name) => name.toLowerCase())]);
}

export function checkOrigin(headers: { origin?: string | string[] | undefined }): GuardRefusal | null {
  const origin = headers.origin;
  if (origin === undefined || origin === '') return null;
  return {
    code: 'forbidden_origin',
    message: `requests from browsers are refused (Origin: ${shown(String(origin))}); mpm-mon accepts only local programs`,
  };
}

export function checkHost(hostHeader: string | undefined, allowed: Set<string>): GuardRefusal | null {
  if (hostHeader !== undefined && allowed.has(hostHeader.toLowerCase())) return null;
  return {
    code: 'forbidden_host',
    message: `Host ${hostHeader === undefined ? '(missing)' : JSON.stringify(shown(hostHeader))} is not this daemon; expected one of ${[...allowed].join(', ')}`,
  };
}

/** A header value for a message (logs, /diagnostics): scrubbed whole, then shortened, never a query. */
function shown(value: string): string {
  return scrubString(value.split('?')[0]!).value.slice(0, 100);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

export function checkToken(given: unknown, expected: string): GuardRefusal | null {
  if (tokensEqual(expected, given)) return null;
  return {
    code: 'unauthorized',
    message:
      given === undefined || given === ''
        ? 'missing token: send "Authorization: Bearer <token>" (the token is in $MPM_MON_HOME/token)'
        : 'wrong token: use the one in $MPM_MON_HOME/token',
  };
}
