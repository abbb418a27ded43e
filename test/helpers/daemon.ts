/**
 * The real binary (dist/cli.js, built by `npm test`) in tests: `mpm-mon --daemon` in a test's home on
 * a free port, and commands run to completion. Every daemon started here is ended by its pid when the
 * test process exits, and stops on its own if this process dies first (MPM_MON_PARENT_PID).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as secureRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import type { Session } from '../../source/protocol/session.js';
import { tlsConnectOptions, type TlsTrust } from '../../source/client/tls-trust.js';
import type { Home } from './temp-home.js';
import { waitFor } from './wait.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface DaemonProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  token: string;
  stderr: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Starts `mpm-mon --daemon` (port 0 unless args say otherwise) and waits until /health answers; over
 * https (the PID file says so) verified with `options.ca`, the CA file of its certificate.
 */
export async function startDaemon(
  home: Home,
  args: string[] = ['--port', '0'],
  options: { ca?: string } = {},
): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [CLI, '--daemon', ...args], {
    env: home.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the daemon did not start (no pid)');
  running.add(pid);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
    running.delete(pid);
  });
  const pidFile = await waitFor(
    () => {
      if (gone) throw new Error(`daemon exited during start-up:\n${stderr}`);
      const data = home.pidFile();
      return data && data.pid === pid && data.port > 0 ? data : null;
    },
    'the daemon to write its port',
    30_000,
  );
  // As clients on this machine do: the chain against the CA, then the PID file's pin instead of the name.
  const trust =
    pidFile.scheme === 'https' && options.ca
      ? { ca: readFileSync(options.ca, 'utf8'), pin: pidFile.tlsFingerprint }
      : undefined;
  await waitFor(async () => await answers(pidFile.port, trust), '/health to answer', 20_000);
  return {
    child,
    pid,
    port: pidFile.port,
    token: home.token(),
    stderr: () => stderr,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!gone) process.kill(pid, signal);
      return exited;
    },
  };
}

function answers(port: number, trust?: TlsTrust): Promise<boolean> {
  return new Promise((resolve) => {
    const options = { host: '127.0.0.1', port, path: '/health', timeout: 5000, agent: false };
    const onAnswer = (res: { resume(): void }): void => {
      res.resume();
      resolve(true);
    };
    const req = trust
      ? secureRequest({ ...options, ...tlsConnectOptions(trust) }, onAnswer)
      : request(options, onAnswer);
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * `runCli` without blocking this process: a test holding a Socket.IO viewer must keep answering the
 * server's heartbeat (a long run of blocking calls on a busy machine gets the viewer dropped).
 */
export function runCliAsync(
  home: Home,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: home.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Runs the binary to completion (a command such as `status`, `stop`, `hook`). */
export function runCli(
  home: Home,
  args: string[],
  input?: string,
  extraEnv: NodeJS.ProcessEnv = {},
): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...home.env, ...extraEnv },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** `mpm-mon sessions --json`: one session object per line. */
export function sessionsJson(home: Home): Session[] {
  const result = runCli(home, ['sessions', '--json']);
  if (result.code !== 0) throw new Error(`mpm-mon sessions --json exited ${result.code}: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Session);
}
