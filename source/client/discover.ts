/**
 * Finds a running daemon through MPM_MON_HOME: its PID file (host, port, pid) and its token file.
 * Cheap to import (node:fs and two small modules): the hook uses it too. A PID file whose process is
 * gone is not a daemon: its port may belong to another program now, which must never get our token.
 */
import { homePaths, resolveHome } from '../config/home.js';
import { parsePidFile } from '../protocol/pidfile.js';
import { verifyListener } from '../instance/listener-owner.js';
import { PID_FILE_MAX_BYTES, readSmallFile, TOKEN_FILE_MAX_BYTES } from '../instance/safe-file.js';

export interface DaemonAddress {
  host: string;
  port: number;
  token: string;
  pid: number;
  version: string;
  startedAt: string;
}

export type DiscoverFailure =
  'no-pid-file' | 'unreadable-pid-file' | 'invalid-pid-file' | 'not-running' | 'not-our-daemon' | 'no-token';

export type DiscoverResult =
  { ok: true; daemon: DaemonAddress } | { ok: false; code: DiscoverFailure; reason: string; pidFile: string };

export interface DiscoverOptions {
  /** MPM_MON_HOME; resolved from the environment when omitted. */
  home?: string;
  /** Whether a process id is alive; defaults to signal 0. Injected only where no real process fits. */
  isAlive?: (pid: number) => boolean;
}

/** Our uid, or null where there is none (Windows): the listener check needs it. */
function ownUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

export function discoverDaemon(options: DiscoverOptions = {}): DiscoverResult {
  const paths = homePaths(options.home ?? resolveHome());
  const fail = (code: DiscoverFailure, reason: string): DiscoverResult => ({
    ok: false,
    code,
    reason,
    pidFile: paths.pidFile,
  });

  const pidText = readSmallFile(paths.pidFile, PID_FILE_MAX_BYTES);
  if (pidText.kind === 'missing') return fail('no-pid-file', `no daemon PID file at ${paths.pidFile}`);
  if (pidText.kind === 'error')
    return fail('unreadable-pid-file', `cannot read ${paths.pidFile}: ${pidText.message}`);

  const parsed = parsePidFile(pidText.text);
  if (parsed.kind === 'invalid')
    return fail('invalid-pid-file', `the PID file ${paths.pidFile} is not usable: ${parsed.reason}`);
  if (parsed.kind === 'legacy')
    return fail(
      'invalid-pid-file',
      `the PID file ${paths.pidFile} holds only a PID (${parsed.pid}), no port`,
    );

  const { data } = parsed;
  if (!(options.isAlive ?? isProcessAlive)(data.pid))
    return fail(
      'not-running',
      `the PID file names process ${data.pid}, which is not running (stale PID file)`,
    );

  // Before anything is sent: the port must be held by that process and by us, else another local
  // user (a port taken while the daemon was down, a reused PID) would receive the token.
  const uid = ownUid();
  if (uid !== null && isLoopback(data.host)) {
    const verdict = verifyListener(data.pid, data.port, uid);
    if (!verdict.ok)
      return fail(
        'not-our-daemon',
        `the daemon named in ${paths.pidFile} cannot be verified: ${verdict.reason}`,
      );
  }

  const tokenText = readSmallFile(paths.tokenFile, TOKEN_FILE_MAX_BYTES);
  if (tokenText.kind !== 'text' || tokenText.text.trim() === '')
    return fail(
      'no-token',
      `the daemon runs (pid ${data.pid}) but its token file ${paths.tokenFile} is missing or empty`,
    );

  return {
    ok: true,
    daemon: {
      host: connectHost(data.host),
      port: data.port,
      token: tokenText.text.trim(),
      pid: data.pid,
      version: data.version,
      startedAt: data.startedAt,
    },
  };
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLoopback(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0', '::', '[::]', ''].includes(host);
}

/** Wildcard listen addresses are reached through loopback. */
export function connectHost(listenHost: string): string {
  if (listenHost === '0.0.0.0' || listenHost === '') return '127.0.0.1';
  if (listenHost === '::' || listenHost === '[::]') return '::1';
  return listenHost;
}

/** `host:port` as it goes into a URL or a Host header (IPv6 literals in brackets). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `http://host:port` for a daemon address. */
export function daemonUrl(daemon: { host: string; port: number }): string {
  return `http://${hostPort(daemon.host, daemon.port)}`;
}
