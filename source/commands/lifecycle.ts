/** `start`, `stop`, `restart`, `status`: the daemon's lifecycle from the outside. */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { homePaths, resolveHome } from '../config/home.js';
import { loadConfig } from '../config/load.js';
import { daemonUrl, localTlsTrust, type DaemonAddress } from '../client/discover.js';
import { readClientSettings } from '../client/client-settings.js';
import type { TlsTrust } from '../client/tls-trust.js';
import { ConfigError } from '../errors/config-error.js';
import { explainTlsFailure, findDaemon } from './daemon-target.js';
import { httpJson } from '../client/http-json.js';
import { MpmError } from '../errors/base.js';
import { killProcessCommands, perPlatform } from '../errors/platform-commands.js';
import { inspectPidFile, type PidFileInspection } from '../instance/pidfile.js';
import { isAlive } from '../instance/alive.js';
import { isZombie } from '../instance/process-info.js';
import type { HealthReport } from '../protocol/health.js';
import type { StatusResponse } from '../protocol/messages.js';
import { formatUptime } from '../errors/daemon-errors.js';
import { waitFor } from './wait-for.js';
import { cliScriptPath } from '../instance/installation.js';

export interface LifecycleOptions {
  json: boolean;
  color: boolean;
  configFlags: Record<string, unknown>;
}

const START_TIMEOUT_MS = 15_000;
const PROBE_TIMEOUT_MS = 1500;

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Where a daemon answers: scheme, address and, with https, how it is verified. */
interface Endpoint {
  scheme?: 'http' | 'https';
  host: string;
  port: number;
  tls?: TlsTrust;
}

interface Running extends Endpoint {
  inspection: PidFileInspection;
  pid: number;
}

async function running(): Promise<Running | null> {
  const inspection = await inspectPidFile(homePaths(resolveHome()).pidFile);
  if (inspection.state !== 'live' || !inspection.pid) return null;
  const data = inspection.data;
  const trust = data ? localTlsTrust(data, readClientSettings()) : { ok: true as const };
  if (!trust.ok) throw new ConfigError(trust.setting);
  return {
    inspection,
    pid: inspection.pid,
    scheme: data?.scheme ?? 'http',
    host: data?.host ?? '127.0.0.1',
    port: data?.port ?? 0,
    ...(trust.tls ? { tls: trust.tls } : {}),
  };
}

/** GET `path` of the daemon as JSON; null when it does not answer. */
async function ask<T>(target: Endpoint, path: string, token?: string): Promise<T | null> {
  if (!target.port) return null;
  try {
    const answer = await httpJson(`${daemonUrl(target)}${path}`, {
      timeoutMs: PROBE_TIMEOUT_MS,
      ...(token ? { token } : {}),
      ...(target.tls ? { tls: target.tls } : {}),
    });
    return answer.body as T;
  } catch {
    return null;
  }
}

function healthOf(target: Endpoint): Promise<HealthReport | null> {
  return ask<HealthReport>(target, '/health');
}

export async function start(options: LifecycleOptions): Promise<number> {
  // Refuse an invalid configuration here, where the user can see it, not in a detached child.
  loadConfig({ flags: options.configFlags });
  const already = await running();
  if (already) {
    const report = {
      running: true,
      started: false,
      pid: already.pid,
      host: already.host,
      port: already.port,
    };
    if (options.json) out(JSON.stringify(report));
    else out(`mpm-mon daemon already running (pid ${already.pid}, ${already.host}:${already.port})`);
    return 0;
  }
  const started = await startDetached(options.configFlags);
  const paths = homePaths(resolveHome());
  if (options.json) out(JSON.stringify({ running: true, started: true, ...started, log: paths.logFile }));
  else
    out(
      `mpm-mon daemon started (pid ${started.pid}, ${started.host}:${started.port})\nlog: ${paths.logFile}`,
    );
  return 0;
}

/** Starts `mpm-mon --daemon` detached and resolves once its /health answers. */
export async function startDetached(
  configFlags: Record<string, unknown>,
): Promise<{ pid: number; host: string; port: number }> {
  const paths = homePaths(resolveHome());
  mkdirSync(paths.logsDir, { recursive: true, mode: 0o700 });
  const startLog = `${paths.logsDir}/start.err`;
  const errFd = openSync(startLog, 'w', 0o600);
  const cli = cliScriptPath();
  if (cli === null)
    throw new Error(
      'the mpm-mon entry script (dist/cli.js) is missing: run `npm run build`, or reinstall mpm-mon',
    );
  const args = [cli, '--daemon'];
  for (const [key, value] of Object.entries(configFlags)) {
    if (typeof value === 'string' || typeof value === 'number')
      args.push(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(value));
  }
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'ignore', errFd],
    env: process.env,
  });
  closeSync(errFd);
  const exited: { code: number | null } = { code: null };
  child.once('exit', (code) => (exited.code = code ?? 1));
  child.unref();
  const childPid = child.pid ?? 0;
  let found: Running | null = null;
  const ok = await waitFor(
    async () => {
      if (exited.code !== null) return true;
      found = await running();
      if (!found || found.pid !== childPid || !found.port) return false;
      return (await healthOf(found)) !== null;
    },
    { timeoutMs: START_TIMEOUT_MS, intervalMs: 25 },
  );
  if (exited.code !== null || !ok || !found) {
    const stderr = readTail(startLog);
    if (exited.code === null && childPid) process.kill(childPid, 'SIGTERM');
    throw new MpmError(
      'DAEMON_START_FAILED',
      exited.code !== null
        ? `the daemon exited during start-up (exit code ${exited.code})`
        : `the daemon did not answer /health within ${START_TIMEOUT_MS} ms`,
      {
        context: { pid: childPid, log: paths.logFile, output: stderr || undefined },
        steps: [
          'Read the error above (the daemon’s own start-up message).',
          'Run it in the foreground to watch it start: `mpm-mon --daemon`.',
          'Run `mpm-mon doctor` for a full diagnosis.',
        ],
      },
    );
  }
  const { pid, host, port } = found as Running;
  return { pid, host, port };
}

function readTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

export async function stop(options: LifecycleOptions & { signal?: NodeJS.Signals }): Promise<number> {
  const target = await running();
  if (!target) {
    if (options.json) out(JSON.stringify({ running: false, stopped: false }));
    else out('mpm-mon daemon is not running');
    return 0;
  }
  const started = Date.now();
  try {
    process.kill(target.pid, options.signal ?? 'SIGTERM');
  } catch (error) {
    throw new MpmError(
      'DAEMON_STOP_FAILED',
      `could not signal the daemon (pid ${target.pid}): ${(error as Error).message}`,
      {
        context: { pid: target.pid },
        commands: perPlatform((platform) => killProcessCommands(platform, target.pid, 'polite')),
      },
    );
  }
  const { config } = loadConfig({ flags: options.configFlags });
  const deadline = config.shutdown.timeoutMs + 3000;
  // A zombie has exited; only its parent has not collected it yet (e.g. a daemon started as a child).
  const gone = await waitFor(async () => !isAlive(target.pid) || (await isZombie(target.pid)), {
    timeoutMs: deadline,
    intervalMs: 20,
  });
  if (!gone) {
    throw new MpmError(
      'DAEMON_STOP_TIMEOUT',
      `the daemon (pid ${target.pid}) did not stop within ${deadline} ms`,
      {
        context: { pid: target.pid, port: target.port },
        steps: [
          'Look at the daemon log for what it is doing.',
          `End it by force, then run \`mpm-mon doctor --fix\`.`,
        ],
        commands: perPlatform((platform) => killProcessCommands(platform, target.pid, 'force')),
      },
    );
  }
  const ms = Date.now() - started;
  if (options.json) out(JSON.stringify({ running: false, stopped: true, pid: target.pid, durationMs: ms }));
  else out(`mpm-mon daemon stopped (pid ${target.pid}, ${ms} ms)`);
  return 0;
}

export async function restart(options: LifecycleOptions): Promise<number> {
  // SIGHUP tells the daemon it is a restart: viewers are told `restarting: true` and wait for the new one.
  const signal: NodeJS.Signals = process.platform === 'win32' ? 'SIGTERM' : 'SIGHUP';
  const previous = await running();
  const code = await stop({ ...options, json: false, signal });
  if (code !== 0) return code;
  // Back on the same port unless told otherwise: attached viewers reconnect to where they were.
  const port = options.configFlags.port ?? (previous?.port ? String(previous.port) : undefined);
  return start({ ...options, configFlags: { ...options.configFlags, port } });
}

export async function status(options: LifecycleOptions): Promise<number> {
  const remote = findDaemon();
  if (remote?.remote) return remoteStatus(remote, options);
  const paths = homePaths(resolveHome());
  const inspection = await inspectPidFile(paths.pidFile);
  const live = inspection.state === 'live' && inspection.pid !== null;
  const host = inspection.data?.host ?? '127.0.0.1';
  const port = inspection.data?.port ?? 0;
  let status: StatusResponse | null = null;
  let health: HealthReport | null = null;
  const target = live ? await running() : null;
  if (target && port)
    [status, health] = await Promise.all([ask<StatusResponse>(target, '/status'), healthOf(target)]);
  if (options.json) {
    out(
      JSON.stringify({
        running: live,
        pidFile: { path: paths.pidFile, state: inspection.state, reason: inspection.reason },
        home: paths.home,
        status,
        health,
      }),
    );
    return live ? 0 : 3;
  }
  if (!live) {
    out(`mpm-mon daemon: not running (${inspection.reason})`);
    out(`home: ${paths.home}`);
    out('start it with `mpm-mon start`; `mpm-mon doctor` explains problems');
    return 3;
  }
  out(
    `mpm-mon daemon: running (pid ${inspection.pid}, ${host}:${port}, version ${inspection.data?.version ?? '?'})`,
  );
  if (status) {
    out(`uptime:   ${formatUptime(status.uptimeSeconds)}`);
    out(`viewers:  ${status.clients.viewers}   producers: ${status.clients.producers}`);
    out(
      `events:   ${status.events.total} since start, ${status.events.perSecond}/s, last seq ${status.events.lastSeq}`,
    );
  } else out('status:   no answer from /status (run `mpm-mon doctor`)');
  if (health) {
    out(`health:   ${health.status}${health.breaker ? `   breaker: ${health.breaker.state}` : ''}`);
    for (const check of Object.values(health.checks)) {
      if (check.status !== 'pass') out(`  ${check.status.padEnd(4)} ${check.name}: ${check.output}`);
    }
  }
  out(`home:     ${paths.home}`);
  out(`log:      ${paths.logFile}`);
  return 0;
}

/** `status` for the daemon `url` names (on another machine): what it answers, or why it does not. */
async function remoteStatus(daemon: DaemonAddress, options: LifecycleOptions): Promise<number> {
  const url = daemonUrl(daemon);
  const get = (path: string): Promise<unknown> =>
    httpJson(`${url}${path}`, { timeoutMs: PROBE_TIMEOUT_MS, ...(daemon.tls ? { tls: daemon.tls } : {}) })
      .then((answer) => answer.body)
      .catch((error: unknown) => {
        const explained = explainTlsFailure(error, daemon);
        if (explained !== error) throw explained;
        return null;
      });
  const [status, health] = (await Promise.all([get('/status'), get('/health')])) as [
    StatusResponse | null,
    HealthReport | null,
  ];
  const live = status !== null;
  if (options.json) {
    out(JSON.stringify({ running: live, url, status, health }));
    return live ? 0 : 3;
  }
  if (!status) {
    out(`mpm-mon daemon at ${url}: no answer`);
    out('`mpm-mon doctor` explains problems');
    return 3;
  }
  out(`mpm-mon daemon at ${url}: running (pid ${status.pid} there, version ${status.version ?? '?'})`);
  out(`uptime:   ${formatUptime(status.uptimeSeconds)}`);
  out(`viewers:  ${status.clients.viewers}   producers: ${status.clients.producers}`);
  out(`events:   ${status.events.total} since start, last seq ${status.events.lastSeq}`);
  if (health) out(`health:   ${health.status}`);
  return 0;
}
