/**
 * Finds a running daemon through MPM_MON_HOME: its PID file (host, port, pid) and its token file.
 * Cheap to import (node:fs and two small modules): the hook uses it too. A PID file whose process is
 * gone is not a daemon: its port may belong to another program now, which must never get our token.
 */
import { readFileSync } from 'node:fs';
import { homePaths, resolveHome } from '../config/home.js';
import { parsePidFile } from '../protocol/pidfile.js';
import { isAlive } from '../instance/alive.js';

export interface DaemonAddress {
  host: string;
  port: number;
  token: string;
  pid: number;
  version: string;
  startedAt: string;
}

export type DiscoverFailure =
  'no-pid-file' | 'unreadable-pid-file' | 'invalid-pid-file' | 'not-running' | 'no-token';

export type DiscoverResult =
  { ok: true; daemon: DaemonAddress } | { ok: false; code: DiscoverFailure; reason: string; pidFile: string };

export interface DiscoverOptions {
  /** MPM_MON_HOME; resolved from the environment when omitted. */
  home?: string;
  /** Whether a process id is alive; defaults to signal 0. Injected only where no real process fits. */
  isAlive?: (pid: number) => boolean;
}

export function discoverDaemon(options: DiscoverOptions = {}): DiscoverResult {
  const paths = homePaths(options.home ?? resolveHome());
  const fail = (code: DiscoverFailure, reason: string): DiscoverResult => ({
    ok: false,
    code,
    reason,
    pidFile: paths.pidFile,
  });

  const pidText = readTextFile(paths.pidFile);
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
  if (!(options.isAlive ?? isAlive)(data.pid))
    return fail(
      'not-running',
      `the PID file names process ${data.pid}, which is not running (stale PID file)`,
    );

  const tokenText = readTextFile(paths.tokenFile);
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

type ReadResult = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'error'; message: string };

function readTextFile(path: string): ReadResult {
  try {
    return { kind: 'text', text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'error', message: (error as Error).message };
  }
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
