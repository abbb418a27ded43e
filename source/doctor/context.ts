/**
 * Everything the checks share, each probed at most once per doctor run: the configuration, the PID
 * file, the daemon's answers. Read-only: nothing here writes a file (conf's constructor would, so
 * the config file is read with fs).
 */
import { readFileSync } from 'node:fs';
import { confFilePath, homePaths, resolveHome, type HomePaths } from '../config/home.js';
import { resolveConfig, type ResolvedConfig } from '../config/resolve.js';
import { inspectPidFile, type PidFileInspection } from '../instance/pidfile.js';
import { readToken } from '../instance/token.js';
import { ConfigError, ConfigFileError } from '../errors/config-error.js';
import { isMpmError, type MpmError, type Platform } from '../errors/base.js';
import { isDiagnostics, type DiagnosticsResponse } from '../protocol/diagnostics.js';
import { isHealthBody, probe, type ProbeOutcome } from './http-probe.js';
import {
  discoverDaemon,
  localTlsTrust,
  type DaemonAddress,
  type SettingFailure,
} from '../client/discover.js';
import { readClientSettings } from '../client/client-settings.js';
import type { TlsTrust } from '../client/tls-trust.js';

export interface DoctorContextOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The user's home folder (Claude Code user settings, conf's config folder). */
  homeDir: string;
  flags?: Record<string, unknown>;
  platform?: NodeJS.Platform;
  /** Bound on every network probe. */
  timeoutMs?: number;
  nodeVersion?: string;
}

export type ConfigProbe =
  | { ok: true; resolved: ResolvedConfig; file: string; fileExists: boolean }
  | { ok: false; error: MpmError; file: string };

export type PidProbe = { ok: true; inspection: PidFileInspection } | { ok: false; error: MpmError };

export interface DaemonProbe {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  tls?: TlsTrust;
  /** Where host and port came from (`url`: a daemon on another machine). */
  from: 'pid-file' | 'config' | 'flags' | 'url';
  /** The PID a live PID file names, else null. */
  pid: number | null;
  health: ProbeOutcome;
  status: ProbeOutcome;
  /** /health answered in mpm-mon's shape. */
  reachable: boolean;
}

export interface DoctorContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  homeDir: string;
  flags: Record<string, unknown>;
  nodePlatform: NodeJS.Platform;
  platform: Platform;
  paths: HomePaths;
  timeoutMs: number;
  nodeVersion: string;
  config(): Promise<ConfigProbe>;
  pidFile(): Promise<PidProbe>;
  daemon(): Promise<DaemonProbe>;
  /** GET /diagnostics with the token (null when the daemon is not reachable or there is no token). */
  diagnostics(): Promise<ProbeOutcome | null>;
  /** What /diagnostics said, when it answered 200 in the daemon's shape. */
  diagnosticsBody(): Promise<DiagnosticsResponse | null>;
  token(): string | null;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 1500;

function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let memo: Promise<T> | undefined;
  return () => (memo ??= compute());
}

export { confFilePath } from '../config/home.js';

export function readConfig(
  env: NodeJS.ProcessEnv,
  homeDir: string,
  platform: NodeJS.Platform,
  flags: Record<string, unknown> = {},
): ConfigProbe {
  const file = confFilePath(env, homeDir, platform);
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        file,
        error: new ConfigError({
          key: '(file)',
          value: file,
          expected: `a readable file (${reason})`,
          source: 'file',
          where: file,
        }),
      };
    }
  }
  let content: Record<string, unknown> = {};
  if (text !== null && text.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not a JSON object');
      content = parsed as Record<string, unknown>;
    } catch (error) {
      return { ok: false, file, error: ConfigFileError.fromParse(file, text, error) };
    }
  }
  try {
    return {
      ok: true,
      file,
      fileExists: text !== null,
      resolved: resolveConfig({ flags, env, file: content, fileWhere: file }),
    };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, file, error };
    throw error;
  }
}

/** The daemon `url` names, probed; a setting that cannot be used is an error outcome naming it. */
async function probeRemote(
  found: { ok: true; daemon: DaemonAddress } | { ok: false; reason: string; setting?: SettingFailure },
  timeoutMs: number,
): Promise<DaemonProbe> {
  if (!found.ok) {
    const message = found.setting ? new ConfigError(found.setting).message : found.reason;
    const refused: ProbeOutcome = { kind: 'error', code: 'SETTING', message, ms: 0 };
    return {
      scheme: 'https',
      host: '',
      port: 0,
      from: 'url',
      pid: null,
      health: refused,
      status: refused,
      reachable: false,
    };
  }
  const { scheme, host, port, tls } = found.daemon;
  const target = { scheme, host, port, ...(tls ? { tls } : {}) };
  const [health, status] = await Promise.all([
    probe(target, '/health', { timeoutMs }),
    probe(target, '/status', { timeoutMs }),
  ]);
  return {
    ...target,
    from: 'url',
    pid: null,
    health,
    status,
    reachable: health.kind === 'answer' && isHealthBody(health.body),
  };
}

export function createContext(options: DoctorContextOptions): DoctorContext {
  const nodePlatform = options.platform ?? process.platform;
  const env = options.env;
  const paths = homePaths(env.MPM_MON_HOME || resolveHome(env, nodePlatform));
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const flags = options.flags ?? {};

  const config = once(() => Promise.resolve(readConfig(env, options.homeDir, nodePlatform, flags)));
  const pidFile = once(async (): Promise<PidProbe> => {
    try {
      return { ok: true, inspection: await inspectPidFile(paths.pidFile) };
    } catch (error) {
      if (isMpmError(error)) return { ok: false, error };
      throw error;
    }
  });

  const settings = readClientSettings(env, nodePlatform, options.homeDir);
  /** With `url`: the daemon there (or why its settings cannot be used); null without. */
  const remote = settings.url === '' ? null : discoverDaemon({ home: paths.home, env, settings });

  const daemon = once(async (): Promise<DaemonProbe> => {
    if (remote) return probeRemote(remote, timeoutMs);
    const pid = await pidFile();
    const live = pid.ok && pid.inspection.state === 'live' && pid.inspection.data ? pid.inspection : null;
    const cfg = await config();
    // `doctor --port 9000` checks port 9000, whatever the PID file says.
    const asked = cfg.ok && (flags.port !== undefined || flags.host !== undefined);
    const target =
      live?.data && !asked
        ? { host: live.data.host, port: live.data.port, from: 'pid-file' as const }
        : {
            host: cfg.ok ? cfg.resolved.config.host : '127.0.0.1',
            port: cfg.ok ? cfg.resolved.config.port : 8765,
            from: asked ? ('flags' as const) : ('config' as const),
          };
    const ours = live?.data?.port === target.port;
    // The daemon of this home serves what its PID file says (https: verified with tls.ca and the pin).
    const trust = live?.data && ours ? localTlsTrust(live.data, settings) : null;
    const secure = {
      scheme: live?.data && ours ? (live.data.scheme ?? 'http') : ('http' as const),
      ...(trust?.ok && trust.tls ? { tls: trust.tls } : {}),
    };
    const [health, status] = await Promise.all([
      probe({ ...target, ...secure }, '/health', { timeoutMs }),
      probe({ ...target, ...secure }, '/status', { timeoutMs }),
    ]);
    return {
      ...target,
      ...secure,
      pid: ours ? (live?.pid ?? null) : null,
      health,
      status,
      reachable: health.kind === 'answer' && isHealthBody(health.body),
    };
  });

  const token = () => (remote ? (remote.ok ? remote.daemon.token : null) : readToken(paths.tokenFile));
  const diagnostics = once(async () => {
    const target = await daemon();
    const value = token();
    if (!target.reachable || value === null) return null;
    return probe(target, '/diagnostics', { timeoutMs, token: value });
  });
  const diagnosticsBody = async (): Promise<DiagnosticsResponse | null> => {
    const answer = await diagnostics();
    return answer?.kind === 'answer' && answer.status === 200 && isDiagnostics(answer.body)
      ? answer.body
      : null;
  };

  return {
    env,
    cwd: options.cwd,
    homeDir: options.homeDir,
    flags,
    nodePlatform,
    platform: nodePlatform === 'darwin' || nodePlatform === 'win32' ? nodePlatform : 'linux',
    paths,
    timeoutMs,
    nodeVersion: options.nodeVersion ?? process.version,
    config,
    pidFile,
    daemon,
    diagnostics,
    diagnosticsBody,
    token,
  };
}
