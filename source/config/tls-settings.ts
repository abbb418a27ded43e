/**
 * The daemon's own transport: with `tls.cert` and `tls.key` it serves HTTPS/WSS only; without them it
 * listens on loopback only, unless `tls.insecure` says clear text across the network is wanted. Pure:
 * resolve.ts refuses a bad combination at start-up (and `mpm-mon start` before it detaches).
 */
import { isLoopbackHost } from './loopback.js';

export interface TlsSettings {
  cert: string;
  key: string;
  ca: string;
  insecure: boolean;
}

export interface SettingProblem {
  key: string;
  value: unknown;
  expected: string;
}

/** Whether the daemon is to serve TLS (cert and key both set; tlsListenProblem refuses one alone). */
export function servesTls(tls: TlsSettings): boolean {
  return tls.cert !== '' && tls.key !== '';
}

/** The first setting that cannot be used for listening on `host`, or null. */
export function tlsListenProblem(host: string, tls: TlsSettings): SettingProblem | null {
  if ((tls.cert === '') !== (tls.key === ''))
    return {
      key: tls.cert === '' ? 'tls.key' : 'tls.cert',
      value: tls.cert === '' ? tls.key : tls.cert,
      expected: `tls.cert and tls.key together (the daemon's certificate and its private key), or neither: set ${tls.cert === '' ? 'tls.cert' : 'tls.key'} too, or remove ${tls.cert === '' ? 'tls.key' : 'tls.cert'}`,
    };
  if (!servesTls(tls) && !isLoopbackHost(host) && !tls.insecure)
    return {
      key: 'host',
      value: host,
      expected: `a loopback address (127.0.0.1) unless the daemon serves TLS: ${host} is reachable from other machines, and the token and every event would cross the network in clear text. Set tls.cert and tls.key (PEM files: a certificate for this machine's name, and its key with mode 0600) to serve HTTPS/WSS; or, on a network you trust, set tls.insecure to true`,
    };
  return null;
}

/** The warning a daemon listening in clear text beyond loopback logs and `doctor` shows, or null. */
export function insecureListenWarning(host: string, tls: TlsSettings): string | null {
  if (servesTls(tls) || isLoopbackHost(host)) return null;
  return `the daemon listens on ${host} in clear text (tls.insecure is true): the token and every event cross the network unencrypted; set tls.cert and tls.key to serve HTTPS/WSS`;
}
