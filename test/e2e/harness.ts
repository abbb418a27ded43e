/**
 * Drives the real binary (dist/cli.js, built by `npm test`): a daemon per test in its own temp
 * MPM_MON_HOME on a free port, real HTTP requests and real Socket.IO viewers. Every process started
 * here is stopped by its own pid.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { MonEvent } from '../../source/protocol/event.js';
import type { PidFileData } from '../../source/protocol/pidfile.js';
import { waitFor } from '../instance/helpers.js';

export { waitFor };

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/claude-hooks/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface Home {
  path: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
  writeConfig(config: Record<string, unknown>): void;
  pidFile(): PidFileData | null;
  token(): string;
}

export function makeHome(): Home {
  const path = mkdtempSync(join(tmpdir(), 'mpm-mon-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MPM_MON_HOME: path,
    MPM_MON_LOG_LEVEL: 'info',
    NO_COLOR: '1',
  };
  delete env.MPM_MON_PORT;
  return {
    path,
    env,
    remove: () => rmSync(path, { recursive: true, force: true }),
    writeConfig: (config) => writeFileSync(join(path, 'config.json'), JSON.stringify(config)),
    pidFile: () => {
      try {
        return JSON.parse(readFileSync(join(path, 'daemon.pid'), 'utf8')) as PidFileData;
      } catch {
        return null;
      }
    },
    token: () => readFileSync(join(path, 'token'), 'utf8').trim(),
  };
}

/** For a test file: `const home = homesRemovedAfter();` then `home()` gives a fresh home, removed after the file. */
export function homesRemovedAfter(): () => Home {
  const homes: Home[] = [];
  after(() => {
    for (const home of homes) home.remove();
  });
  return () => {
    const created = makeHome();
    homes.push(created);
    return created;
  };
}

export interface DaemonProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  token: string;
  stderr: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `mpm-mon --daemon` (port 0 unless args say otherwise) and waits until /health answers. */
export async function startDaemon(home: Home, args: string[] = ['--port', '0']): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [CLI, '--daemon', ...args], {
    env: home.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const pidFile = await waitFor(
    () => {
      if (gone) throw new Error(`daemon exited during start-up:\n${stderr}`);
      const data = home.pidFile();
      return data && data.pid === child.pid && data.port > 0 ? data : null;
    },
    'the daemon to write its port',
    15_000,
  );
  await waitFor(
    async () => (await get(pidFile.port, '/health').catch(() => null)) !== null,
    '/health to answer',
    10_000,
  );
  return {
    child,
    pid: child.pid!,
    port: pidFile.port,
    token: home.token(),
    stderr: () => stderr,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!gone) process.kill(child.pid!, signal);
      return exited;
    },
  };
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
    timeout: 30_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface HttpAnswer {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export function http(
  port: number,
  method: string,
  path: string,
  options: { token?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const req = request(
      { host: '127.0.0.1', port, method, path, headers, timeout: 10_000, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            body = null;
          }
          resolve({ status: res.statusCode ?? 0, body, text, headers: res.headers });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export const get = (port: number, path: string, token?: string): Promise<HttpAnswer> =>
  http(port, 'GET', path, { token });
export const postEvents = (
  port: number,
  token: string,
  body: string | Buffer,
  headers?: Record<string, string>,
): Promise<HttpAnswer> => http(port, 'POST', '/events', { token, body, headers });

export interface Viewer {
  socket: Socket;
  events: MonEvent[];
  messages: Array<{ name: string; payload: any }>;
  close(): void;
}

/** A real Socket.IO viewer on /dashboard that records every event and message. */
export function connectViewer(port: number, auth: Record<string, unknown>): Promise<Viewer> {
  const socket = io(`http://127.0.0.1:${port}/dashboard`, {
    transports: ['websocket'],
    auth,
    reconnection: false,
    forceNew: true,
  });
  const viewer: Viewer = {
    socket,
    events: [],
    messages: [],
    close: () => {
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
  socket.on('event', (event: MonEvent) => viewer.events.push(event));
  socket.on('events', (events: MonEvent[]) => viewer.events.push(...events));
  socket.onAny((name: string, payload: unknown) => viewer.messages.push({ name, payload }));
  return new Promise((resolve, reject) => {
    socket.once('hello', () => resolve(viewer));
    socket.once('connect_error', (error) => {
      viewer.close();
      reject(error);
    });
  });
}

/** A real Socket.IO producer on /ingest, connected (no reconnection: tests decide what a drop means). */
export async function connectProducer(port: number, token: string, producer?: string): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${port}/ingest`, {
    transports: ['websocket'],
    auth: producer === undefined ? { token } : { token, producer },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
  return socket;
}

/** A process's resident set in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** A payload shaped like a Claude Code hook event, unique per `n`. */
export function hookPayload(
  n: number,
  session = 'sess-e2e',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    session_id: session,
    hook_event_name: 'PreToolUse',
    cwd: '/work/project',
    tool_name: 'Bash',
    tool_input: { command: `echo ${n}` },
    tool_use_id: `toolu_${n}`,
    ...extra,
  };
}

export function seqsOf(events: MonEvent[]): number[] {
  return events.map((event) => event.seq);
}
