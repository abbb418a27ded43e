/**
 * What every benchmark shares: the machine, statistics, result files, the daemon and the bare relay
 * as child processes (stopped by their pid), a producer on /ingest and viewers on /dashboard.
 * The daemon and its temp MPM_MON_HOME come from the end-to-end harness.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import ts from 'typescript';
import { rssMb } from '../test/e2e/harness.js';
import { type Home, makeHome } from '../test/helpers/temp-home.js';
import { type DaemonProcess, startDaemon } from '../test/helpers/daemon.js';
import { waitFor } from '../test/helpers/wait.js';
import { percentile as nearestRank } from '../source/sessions/percentile.js';

export { waitFor };

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const RELAY_SOURCE = fileURLToPath(new URL('./relay.ts', import.meta.url));
/** Inside node_modules so that the compiled relay resolves socket.io like the daemon does. */
const RELAY_BUILD_DIR = fileURLToPath(new URL('../node_modules/.cache/mpm-mon-bench/', import.meta.url));

export interface BenchOptions {
  quick: boolean;
}

// ---------------------------------------------------------------- statistics

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (NaN for an empty sample). */
export function percentile(values: readonly number[], p: number): number {
  return nearestRank(values, p) ?? NaN;
}

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

// ---------------------------------------------------------------- results

export interface Figure {
  figure: string;
  unit: string;
  mpmMon: number;
  baseline: number | null;
  baselineName: string;
  /** mpmMon / baseline (for times and memory lower is better; for rates higher is better). */
  ratio: number | null;
  goal: string;
  met: boolean | null;
}

export function figure(
  name: string,
  unit: string,
  mpmMon: number,
  baseline: number | null,
  baselineName: string,
  goal: string,
  met: boolean | null,
): Figure {
  const ratio = baseline === null || baseline === 0 ? null : round(mpmMon / baseline, 3);
  return {
    figure: name,
    unit,
    mpmMon: round(mpmMon, 3),
    baseline: baseline === null ? null : round(baseline, 3),
    baselineName,
    ratio,
    goal,
    met,
  };
}

export function machine(): Record<string, unknown> {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cpuCount: list.length,
    memoryMb: Math.round(totalmem() / 2 ** 20),
    platform: `${platform()} ${release()}`,
    node: process.version,
    /** Other work on the machine when the benchmark finished (1, 5, 15 min). */
    loadAverage: loadavg().map((value) => round(value)),
  };
}

export interface BenchResult {
  name: string;
  command: string;
  date: string;
  machine: Record<string, unknown>;
  quick: boolean;
  figures: Figure[];
  details: Record<string, unknown>;
}

export function writeResult(
  name: string,
  options: BenchOptions,
  figures: Figure[],
  details: Record<string, unknown>,
  command = `npm run bench -- --only ${name}${options.quick ? ' --quick' : ''}`,
): BenchResult {
  const result: BenchResult = {
    name,
    command,
    date: new Date().toISOString(),
    machine: machine(),
    quick: options.quick,
    figures,
    details,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    `${RESULTS_DIR}${name}${options.quick ? '.quick' : ''}.json`,
    `${JSON.stringify(result, null, 2)}\n`,
  );
  return result;
}

export function tableOf(results: readonly BenchResult[]): string {
  const fmt = (value: number | null): string => (value === null ? '—' : String(value));
  const lines = [
    '| figure | mpm-mon | baseline | ratio | goal | met? |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const result of results) {
    for (const f of result.figures) {
      const met = f.met === null ? '—' : f.met ? 'yes' : '**no**';
      lines.push(
        `| ${f.figure} (${f.unit}) | ${fmt(f.mpmMon)} | ${fmt(f.baseline)} (${f.baselineName}) | ${fmt(f.ratio)}× | ${f.goal} | ${met} |`,
      );
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- processes

export { rssMb };

/** utime + stime of a process, in ms. */
export function cpuTimeMs(pid: number): number {
  const { userMs, systemMs } = cpuTimesMs(pid);
  return userMs + systemMs;
}

/** utime and stime of a process, in ms. */
export function cpuTimesMs(pid: number): { userMs: number; systemMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3); utime and stime are fields 14 and 15. USER_HZ is 100 on Linux.
  return { userMs: Number(fields[11]) * 10, systemMs: Number(fields[12]) * 10 };
}

/** Waits until two RSS readings 250 ms apart differ by less than 1 MB (at most `timeoutMs`). */
export async function settledRss(pid: number, timeoutMs = 4000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = rssMb(pid);
  for (let i = 0; i < 100 && Date.now() < deadline; i++) {
    await sleep(250);
    const next = rssMb(pid);
    if (Math.abs(next - last) < 1) return next;
    last = next;
  }
  return last;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface BenchDaemon {
  kind: 'mpm-mon';
  home: Home;
  daemon: DaemonProcess;
  pid: number;
  port: number;
  token: string;
  stop(): Promise<void>;
}

/** The daemon config for load: no per-producer limit, no backlog drop of the bench's own viewers. */
export const LOAD_CONFIG = {
  events: { ratePerSecond: 1_000_000, ringSize: 20_000 },
  viewers: { maxBacklog: 1_000_000 },
};

export async function startBenchDaemon(config: Record<string, unknown> = LOAD_CONFIG): Promise<BenchDaemon> {
  const home = makeHome();
  home.env.MPM_MON_LOG_LEVEL = 'warn';
  home.writeConfig(config);
  try {
    const daemon = await startDaemon(home);
    return {
      kind: 'mpm-mon',
      home,
      daemon,
      pid: daemon.pid,
      port: daemon.port,
      token: daemon.token,
      async stop() {
        await daemon.stop();
        home.remove();
      },
    };
  } catch (error) {
    home.remove();
    throw error;
  }
}

export interface RelayProcess {
  kind: 'relay' | 'http-202';
  child: ChildProcess;
  pid: number;
  port: number;
  token: string;
  stop(): Promise<void>;
}

let relayBuilt: string | null = null;

/** relay.ts compiled to plain JavaScript once, so the baseline runs on bare node like dist/cli.js. */
function relayScript(): string {
  if (relayBuilt) return relayBuilt;
  const source = readFileSync(RELAY_SOURCE, 'utf8');
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  mkdirSync(RELAY_BUILD_DIR, { recursive: true });
  relayBuilt = `${RELAY_BUILD_DIR}relay.mjs`;
  writeFileSync(relayBuilt, output);
  return relayBuilt;
}

/** Starts the bare Socket.IO relay (`relay`) or the bare node:http server (`http-202`). */
export async function startBaseline(mode: 'relay' | 'http-202'): Promise<RelayProcess> {
  const child = spawn(process.execPath, [relayScript(), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  const port = await waitFor(
    () => {
      if (gone) throw new Error(`the ${mode} baseline exited during start-up`);
      const match = /listening (\d+)/.exec(out);
      return match ? Number(match[1]) : 0;
    },
    `the ${mode} baseline to listen`,
    10_000,
  );
  return {
    kind: mode,
    child,
    pid: child.pid!,
    port,
    token: 'relay',
    async stop() {
      if (!gone) process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

// ---------------------------------------------------------------- events, producer, viewers

/** A PreToolUse-shaped payload of about `bytes` bytes, unique per `n` (so dedupe keeps every one). */
export function payloadOf(
  n: number,
  bytes = 1024,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const base = {
    session_id: 'sess-bench',
    hook_event_name: 'PreToolUse',
    cwd: '/srv/project',
    tool_name: 'Bash',
    tool_use_id: `toolu_bench_${n}`,
    ...extra,
    tool_input: { command: `echo ${n}`, description: '' },
  };
  const size = JSON.stringify(base).length;
  base.tool_input.description = 'lorem ipsum dolor sit amet '
    .repeat(Math.ceil(bytes / 27))
    .slice(0, Math.max(0, bytes - size));
  return base;
}

export interface Target {
  port: number;
  token: string;
}

function connect(target: Target, namespace: string, auth: Record<string, unknown>): Socket {
  return io(`http://127.0.0.1:${target.port}${namespace}`, {
    transports: ['websocket'],
    auth: { token: target.token, ...auth },
    reconnection: false,
    forceNew: true,
  });
}

export interface Producer {
  socket: Socket;
  /** Emits and resolves with the ack. */
  send(payload: unknown): Promise<{ ok: boolean; seq?: number; error?: { code: string } }>;
  close(): void;
}

export async function connectProducer(target: Target): Promise<Producer> {
  const socket = connect(target, '/ingest', {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    socket,
    send: (payload) => new Promise((resolve) => socket.emit('event', payload, resolve)),
    close: () => {
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}

/** A viewer that counts events; `onEvent` sees each one (the daemon's `data` or the relay's payload). */
export interface CountingViewer {
  socket: Socket;
  count: number;
  close(): void;
}

export async function connectViewers(
  target: Target,
  n: number,
  onEvent?: (payload: Record<string, unknown>, viewer: CountingViewer) => void,
  concurrency = 50,
): Promise<CountingViewer[]> {
  const viewers: CountingViewer[] = [];
  const one = (): Promise<CountingViewer> => {
    const socket = connect(target, '/dashboard', {});
    const viewer: CountingViewer = {
      socket,
      count: 0,
      close: () => {
        socket.removeAllListeners();
        socket.disconnect();
      },
    };
    // The daemon sends `events` (a batch) and `event`; the relay sends `event` with the raw payload.
    socket.on('events', (events: Array<{ data: Record<string, unknown> }>) => {
      viewer.count += events.length;
      if (onEvent) for (const event of events) onEvent(event.data, viewer);
    });
    socket.on('event', (event: Record<string, unknown>) => {
      viewer.count += 1;
      if (onEvent) onEvent((event.data as Record<string, unknown>) ?? event, viewer);
    });
    return new Promise((resolve, reject) => {
      // The daemon greets with `hello`; the relay answers `connect` only.
      const ready = target.token === 'relay' ? 'connect' : 'hello';
      socket.once(ready, () => resolve(viewer));
      socket.once('connect_error', (error) => {
        viewer.close();
        reject(error);
      });
    });
  };
  for (let i = 0; i < n; i += concurrency) {
    const batch = await Promise.all(Array.from({ length: Math.min(concurrency, n - i) }, one));
    viewers.push(...batch);
  }
  return viewers;
}

export function closeAll(viewers: readonly CountingViewer[]): void {
  for (const viewer of viewers) viewer.close();
}
