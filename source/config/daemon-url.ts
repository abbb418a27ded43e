/**
 * The client-side `url` setting: where a daemon on another machine is. Pure and light (the hook parses
 * it); resolve.ts refuses a bad one at start-up with the same words.
 */
import { isLoopbackHost } from './loopback.js';

export interface DaemonUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
}

export const DAEMON_URL_FORM = 'https://host:port, e.g. https://mon.example:8765 (no path, no user or token)';

/** `https://host:port` → where to connect; a string saying what was expected otherwise. */
export function parseDaemonUrl(text: string): DaemonUrl | string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return DAEMON_URL_FORM;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return DAEMON_URL_FORM;
  if (parsed.username !== '' || parsed.password !== '')
    return `${DAEMON_URL_FORM}: the token goes in tokenFile or MPM_MON_TOKEN, never in the URL`;
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '' || parsed.hash !== '')
    return DAEMON_URL_FORM;
  const scheme = parsed.protocol === 'https:' ? 'https' : 'http';
  return {
    scheme,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : scheme === 'https' ? 443 : 80,
  };
}

/** What is wrong with `url` (unparsable, or clear text to another machine without `tls.insecure`), or null. */
export function daemonUrlProblem(url: string, insecure: boolean): string | null {
  const target = parseDaemonUrl(url);
  if (typeof target === 'string') return target;
  if (target.scheme === 'http' && !isLoopbackHost(target.host) && !insecure)
    return `https:// for a daemon on another machine (${target.host}): over http:// the token and every event cross the network in clear text. Give the daemon tls.cert and tls.key and use https://${target.host}:${target.port} (with tls.ca for a private CA); or, on a network you trust, set tls.insecure to true`;
  return null;
}
