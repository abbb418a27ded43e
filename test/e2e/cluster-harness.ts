/**
 * Two real daemons sharing a real redis-server (and, where a scenario says so, a real haproxy in
 * front), producers that retry until acked and viewers that resume by `since`, plus the figures a
 * scenario reports: acked, stored, lost, duplicated, gaps and the longest silence a viewer saw.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { MonEvent } from '../../source/protocol/event.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { http } from './harness.js';
import { makeHome, type Home } from '../helpers/temp-home.js';
import { startDaemon, type DaemonProcess } from '../helpers/daemon.js';

export interface ClusterDaemon {
  name: string;
  home: Home;
  port: number;
  process: DaemonProcess | null;
}

export interface Cluster {
  redis: RedisServer;
  token: string;
  daemons: ClusterDaemon[];
  start(daemon: ClusterDaemon): Promise<void>;
  /** SIGTERM (graceful) or SIGKILL. */
  stop(daemon: ClusterDaemon, signal?: NodeJS.Signals): Promise<void>;
  close(): Promise<void>;
}

/** Two daemons, `a` and `b`, on one Redis, with one token; `allowedHosts` for a proxy in front. */
export async function startCluster(allowedHosts: string[] = []): Promise<Cluster> {
  const redis = await startRedis();
  const token = randomBytes(32).toString('hex');
  const daemons: ClusterDaemon[] = ['a', 'b'].map((name) => {
    const home = makeHome();
    home.env.MPM_MON_LOG_LEVEL = 'warn';
    writeFileSync(join(home.path, 'token'), `${token}\n`, { mode: 0o600 });
    home.writeConfig({
      store: { kind: 'redis', redis: { url: redis.url, prefix: '{cluster}' } },
      nodeId: `node-${name}`,
      allowedHosts,
      events: { ratePerSecond: 100_000 },
      viewers: { maxBacklog: 1_000_000 },
      shutdown: { timeoutMs: 3000 },
    });
    return { name, home, port: 0, process: null };
  });
  const cluster: Cluster = {
    redis,
    token,
    daemons,
    async start(daemon) {
      daemon.process = await startDaemon(daemon.home, ['--port', String(daemon.port)]);
      daemon.port = daemon.process.port;
    },
    async stop(daemon, signal = 'SIGTERM') {
      await daemon.process?.stop(signal);
      daemon.process = null;
    },
    async close() {
      for (const daemon of daemons) {
        await daemon.process?.stop('SIGKILL');
        daemon.home.remove();
      }
      await redis.stop();
      redis.remove();
    },
  };
  for (const daemon of daemons) await cluster.start(daemon);
  return cluster;
}

/**
 * Sends `count` distinct events in batches of `batch`, paced to `rate` per second over `lanes` parallel
 * loops; each batch is retried (on the next port, after a short pause) until the answer is 202 with a
 * seq for every event. Redelivery is safe: the store gives a retried event its first seq back.
 */
export class RetryingProducer {
  /** n → the seq its ack carried. */
  readonly acked = new Map<number, number>();
  attempts = 0;
  refusals = 0;
  private stopped = false;

  constructor(
    private readonly ports: () => number[],
    private readonly token: string,
  ) {}

  async run(
    count: number,
    rate: number,
    options: { batch?: number; lanes?: number; timeoutMs?: number } = {},
  ): Promise<void> {
    const batch = options.batch ?? 10;
    const lanes = options.lanes ?? 2;
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const intervalMs = (batch * lanes * 1000) / rate;
    let next = 0;
    const lane = async (laneIndex: number): Promise<void> => {
      let target = laneIndex;
      let due = Date.now();
      while (!this.stopped) {
        const from = next;
        if (from >= count) return;
        next = Math.min(count, from + batch);
        const ns = Array.from({ length: next - from }, (_, index) => from + index);
        const body = JSON.stringify(ns.map((n) => eventPayload(n)));
        for (;;) {
          if (Date.now() > deadline)
            throw new Error(`producer gave up: ${this.acked.size} of ${count} acked`);
          const ports = this.ports();
          const port = ports[target % ports.length]!;
          this.attempts++;
          const answer = await http(port, 'POST', '/events', { token: this.token, body }).catch(() => null);
          const seqs = answer?.status === 202 ? (answer.body as { seqs?: number[]; errors?: unknown }) : null;
          if (seqs?.seqs && !seqs.errors && seqs.seqs.length === ns.length) {
            ns.forEach((n, index) => this.acked.set(n, seqs.seqs![index]!));
            break;
          }
          this.refusals++;
          target++;
          await pause(25);
        }
        due += intervalMs;
        const wait = due - Date.now();
        if (wait > 0) await pause(wait);
        else due = Date.now();
      }
    };
    await Promise.all(Array.from({ length: lanes }, (_, index) => lane(index)));
  }

  stop(): void {
    this.stopped = true;
  }
}

export function eventPayload(n: number): Record<string, unknown> {
  return {
    session_id: 'cluster-session',
    hook_event_name: 'PreToolUse',
    cwd: '/srv/project',
    tool_name: 'Bash',
    tool_use_id: `toolu_cluster_${n}`,
    tool_input: { command: `echo ${n}` },
  };
}

/**
 * A viewer that resumes by `since` on the next port whenever its connection ends, and checks every
 * delivery: seqs strictly increasing with no gap (each seq is an event: Redis numbers only what it
 * stores).
 */
export class ResumingViewer {
  readonly seqs: number[] = [];
  readonly ids: string[] = [];
  /** Deliveries whose seq was not last + 1. */
  gaps = 0;
  /** Deliveries whose seq was <= last. */
  repeats = 0;
  reconnects = 0;
  /** Longest time between two deliveries while events were flowing, ms. */
  longestSilenceMs = 0;
  nodes = new Set<string>();
  private socket: Socket | null = null;
  private last: number;
  private lastAt = 0;
  private closed = false;
  private target = 0;

  constructor(
    private readonly ports: () => number[],
    private readonly token: string,
    since = 0,
  ) {
    this.last = since;
  }

  get lastSeq(): number {
    return this.last;
  }

  connect(): void {
    if (this.closed) return;
    const ports = this.ports();
    const port = ports[this.target % ports.length]!;
    const socket = io(`http://127.0.0.1:${port}/dashboard`, {
      transports: ['websocket'],
      auth: { token: this.token, since: this.last },
      reconnection: false,
      forceNew: true,
      timeout: 2000,
    });
    this.socket = socket;
    socket.on('hello', (hello: { cluster?: { nodeId: string } }) => {
      if (hello.cluster) this.nodes.add(hello.cluster.nodeId);
    });
    socket.on('events', (events: MonEvent[]) => {
      const now = Date.now();
      if (this.lastAt > 0) this.longestSilenceMs = Math.max(this.longestSilenceMs, now - this.lastAt);
      this.lastAt = now;
      for (const event of events) {
        if (event.seq <= this.last) {
          this.repeats++;
          continue;
        }
        if (event.seq !== this.last + 1) this.gaps++;
        this.last = event.seq;
        this.seqs.push(event.seq);
        this.ids.push(String((event.data as { tool_use_id?: unknown }).tool_use_id));
      }
    });
    const again = (): void => {
      socket.removeAllListeners();
      socket.disconnect();
      if (this.closed || this.socket !== socket) return;
      this.reconnects++;
      this.target++;
      setTimeout(() => this.connect(), 20);
    };
    socket.on('disconnect', again);
    socket.on('connect_error', again);
  }

  close(): void {
    this.closed = true;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
  }
}

/** Everything a daemon's store holds, read by a viewer from seq 0 until it reaches `lastSeq`. */
export async function historyOf(port: number, token: string, lastSeq: number): Promise<MonEvent[]> {
  const socket = io(`http://127.0.0.1:${port}/dashboard`, {
    transports: ['websocket'],
    auth: { token, since: 0 },
    reconnection: false,
    forceNew: true,
  });
  const events: MonEvent[] = [];
  socket.on('events', (batch: MonEvent[]) => events.push(...batch));
  try {
    await waitFor(
      () => (events.at(-1)?.seq ?? 0) >= lastSeq,
      `the history up to ${lastSeq} from port ${port}`,
      20_000,
    );
  } finally {
    socket.removeAllListeners();
    socket.disconnect();
  }
  return events;
}

export interface Figures {
  acked: number;
  stored: number;
  lost: number;
  duplicated: number;
  viewerGaps: number;
  viewerRepeats: number;
  longestSilenceMs: number;
  refusals: number;
}

/** Compares what was acked with what a daemon's history holds. */
export function figures(
  producer: RetryingProducer,
  history: readonly MonEvent[],
  viewer: ResumingViewer,
): Figures {
  const counts = new Map<string, number>();
  for (const event of history) {
    const id = String((event.data as { tool_use_id?: unknown }).tool_use_id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  let lost = 0;
  for (const n of producer.acked.keys()) if (!counts.has(`toolu_cluster_${n}`)) lost++;
  let duplicated = 0;
  for (const count of counts.values()) if (count > 1) duplicated += count - 1;
  return {
    acked: producer.acked.size,
    stored: history.length,
    lost,
    duplicated,
    viewerGaps: viewer.gaps,
    viewerRepeats: viewer.repeats,
    longestSilenceMs: viewer.longestSilenceMs,
    refusals: producer.refusals,
  };
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
