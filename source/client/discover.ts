/**
 * The one answer to "where is the daemon and what is the token", for every client (the hook included):
 * with the `url` setting, the daemon on another machine (`remote.ts`); otherwise the daemon of
 * MPM_MON_HOME through its PID file (host, port, pid, scheme, certificate pin) and its token file.
 * Cheap to import (node:fs and small modules): the hook uses it. A PID file whose process is gone is
 * not a daemon: its port may belong to another program now, which must never get our token.
 */
import { homePaths, resolveHome } from '../config/home.js';
import { isLoopbackHost } from '../config/loopback.js';
import { parsePidFile, type PidFileData } from '../protocol/pidfile.js';
import { verifyDaemon } from '../instance/daemon-identity.js';
import { isAlive } from '../instance/alive.js';
import { PID_FILE_MAX_BYTES, readSmallFile, TOKEN_FILE_MAX_BYTES } from '../instance/safe-file.js';
import { readCa, readClientSettings, type ClientSettings, type SettingFailure } from './client-settings.js';
import { remoteDaemon } from './remote.js';
import type { TlsTrust } from './tls-trust.js';

export interface DaemonAddress {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  token: string;
  /** 0 for a daemon on another machine (`url`). */
  pid: number;
  version: string;
  startedAt: string;
  /** With https: what its certificate is verified with. */
  tls?: TlsTrust;
  /** Reached by the `url` setting (on another machine): never started, never looked for on disk. */
  remote?: boolean;
}

export type DiscoverFailure =
  | 'no-pid-file'
  | 'unreadable-pid-file'
  | 'invalid-pid-file'
  | 'not-running'
  | 'not-our-daemon'
  | 'no-token'
  | 'bad-setting';

export type DiscoverResult =
  | { ok: true; daemon: DaemonAddress }
  | { ok: false; code: DiscoverFailure; reason: string; pidFile: string; setting?: SettingFailure };

export type { SettingFailure };

export interface DiscoverOptions {
  /** MPM_MON_HOME; resolved from the environment when omitted. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** `url`, `tokenFile`, `tls.*`; read from the environment and the config file when omitted. */
  settings?: ClientSettings;
  /** Whether a process id is alive; defaults to signal 0. Injected only where no real process fits. */
  isAlive?: (pid: number) => boolean;
}

/** Our uid, or null where there is none (Windows): the listener check needs it. */
function ownUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

export function discoverDaemon(options: DiscoverOptions = {}): DiscoverResult {
  const env = options.env ?? process.env;
  const paths = homePaths(options.home ?? resolveHome(env));
  const settings = options.settings ?? readClientSettings(env);
  const fail = (code: DiscoverFailure, reason: string, setting?: SettingFailure): DiscoverResult => ({
    ok: false,
    code,
    reason,
    pidFile: paths.pidFile,
    ...(setting ? { setting } : {}),
  });
  if (settings.url !== '') {
    const remote = remoteDaemon(settings, env, paths.home);
    if (remote.ok) return remote;
    const { key, expected } = remote.setting;
    return fail('bad-setting', `${key} cannot be used: expected ${expected}`, remote.setting);
  }

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
  if (!(options.isAlive ?? isAlive)(data.pid))
    return fail(
      'not-running',
      `the PID file names process ${data.pid}, which is not running (stale PID file)`,
    );

  // Before anything is sent: the process must be ours and the daemon that wrote the file, else another
  // local user (a reused PID, a port taken after the daemon died) would receive the token.
  const uid = ownUid();
  if (uid !== null && isLoopbackHost(connectHost(data.host))) {
    const verdict = verifyDaemon(data.pid, data.processStartTime, uid);
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

  const trust = localTlsTrust(data, settings);
  if (!trust.ok)
    return fail('bad-setting', `tls.ca cannot be used: expected ${trust.setting.expected}`, trust.setting);
  const { tls } = trust;

  return {
    ok: true,
    daemon: {
      scheme: data.scheme ?? 'http',
      ...(tls ? { tls } : {}),
      host: connectHost(data.host),
      port: data.port,
      token: tokenText.text.trim(),
      pid: data.pid,
      version: data.version,
      startedAt: data.startedAt,
    },
  };
}

/**
 * How a client on this machine verifies the daemon its PID file names: with https, reached on loopback
 * whatever name its certificate has, the PID file's pin replaces the name check; the chain verifies
 * against `tls.ca` (else the system's CAs).
 */
export function localTlsTrust(
  data: Pick<PidFileData, 'scheme' | 'tlsFingerprint'>,
  settings: ClientSettings,
): { ok: true; tls?: TlsTrust } | { ok: false; setting: SettingFailure } {
  if (data.scheme !== 'https') return { ok: true };
  const ca = readCa(settings);
  if (!ca.ok) return ca;
  return {
    ok: true,
    tls: {
      ...(data.tlsFingerprint !== undefined ? { pin: data.tlsFingerprint } : {}),
      ...(ca.ca !== undefined ? { ca: ca.ca } : {}),
    },
  };
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

/** `http(s)://host:port` for a daemon address. */
export function daemonUrl(daemon: { scheme?: 'http' | 'https'; host: string; port: number }): string {
  return `${daemon.scheme ?? 'http'}://${hostPort(daemon.host, daemon.port)}`;
}
