/**
 * The TUI benchmark's event source. One daemon on this machine ingests about 4,000 1 KB events/s
 * (throughput.ts), so it cannot drive a viewer at 5,000 ev/s; and its ingestion would share the two cores
 * with the TUI being measured. So the events are recorded first from the real daemon (what it sends a
 * viewer, hello and sessions answer included), and a stand-in plays them back to the TUI at a fixed
 * rate, in batches every 8 ms like the daemon's `viewers.batchMs`.
 *
 * The TUI finds the stand-in the way it finds a daemon: a home whose PID file names the real (running,
 * verifiable) daemon process with the stand-in's port, and the daemon's token.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import type { MonEvent } from '../source/protocol/event.js';
import type { HelloMessage } from '../source/protocol/messages.js';
import { get } from '../test/e2e/harness.js';
import { tempDir } from '../test/helpers/temp-home.js';
import { connectProducer, nowMs, payloadOf, sleep, waitFor, type BenchDaemon } from './lib.js';

export interface Recording {
  hello: HelloMessage;
  events: MonEvent[];
  status: unknown;
  sessions: unknown;
}

/** Sends `count` 1 KB events into the daemon (at most 256 unacked) and records what a viewer receives. */
export async function recordFromDaemon(daemon: BenchDaemon, count: number): Promise<Recording> {
  const viewer: Socket = io(`http://127.0.0.1:${daemon.port}/dashboard`, {
    transports: ['websocket'],
    auth: { token: daemon.token },
    reconnection: false,
    forceNew: true,
  });
  let hello: HelloMessage | null = null;
  viewer.once('hello', (message: HelloMessage) => (hello = message));
  const events: MonEvent[] = [];
  viewer.on('events', (batch: MonEvent[]) => events.push(...batch));
  viewer.on('event', (event: MonEvent) => events.push(event));
  const producer = await connectProducer(daemon);
  try {
    const greeting = await waitFor(() => hello, 'the daemon to greet the recording viewer', 15_000);
    let sent = 0;
    let inFlight = 0;
    // Tool calls in pairs across a few sessions, so the session model and the duration column work.
    const payload = (n: number) =>
      payloadOf(n >> 1, 1024, {
        session_id: `sess-bench-${n % 3}`,
        hook_event_name: n % 2 === 0 ? 'PreToolUse' : 'PostToolUse',
      });
    while (sent < count) {
      while (inFlight < 256 && sent < count) {
        inFlight += 1;
        void producer.send(payload(sent++)).then(() => (inFlight -= 1));
      }
      await sleep(1);
    }
    await waitFor(() => events.length >= count, `the recording viewer to receive ${count} events`, 60_000);
    const status = (await get(daemon.port, '/status')).body;
    const sessions = await viewer.timeout(5000).emitWithAck('sessions');
    return { hello: greeting, events: events.slice(0, count), status, sessions };
  } finally {
    producer.close();
    viewer.removeAllListeners();
    viewer.disconnect();
  }
}

export interface Feed {
  port: number;
  /** A home for the TUI (MPM_MON_HOME) that points at this stand-in. */
  home: string;
  viewers(): number;
  /** Plays the next events at `rate` per second for `ms`; resolves with how many were sent. */
  play(rate: number, ms: number): Promise<number>;
  /** Events the stand-in still holds in the viewer's socket buffer (0 once written out). */
  buffered(): number;
  stop(): Promise<void>;
}

export async function startFeed(recording: Recording, daemon: BenchDaemon): Promise<Feed> {
  const http: HttpServer = createServer((request, response) => {
    if (request.url?.startsWith('/status')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(recording.status));
      return;
    }
    response.writeHead(404).end();
  });
  const server = new Server(http, {
    transports: ['websocket', 'polling'],
    perMessageDeflate: false,
    httpCompression: false,
    serveClient: false,
  });
  const dashboard = server.of('/dashboard');
  dashboard.on('connection', (socket) => {
    socket.emit('hello', recording.hello);
    socket.on('history', (_request: unknown, ack: unknown) => {
      if (typeof ack === 'function') ack({ ok: true, events: [] });
    });
    socket.on('sessions', (ack: unknown) => {
      if (typeof ack === 'function') ack(recording.sessions);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  // The daemon's PID file with the stand-in's port: discovery verifies the (real, running) daemon process.
  const home = tempDir('mpm-mon-bench-feed-');
  const pidFile = JSON.parse(readFileSync(join(daemon.home.path, 'daemon.pid'), 'utf8')) as Record<
    string,
    unknown
  >;
  writeFileSync(join(home.path, 'daemon.pid'), JSON.stringify({ ...pidFile, port }));
  copyFileSync(join(daemon.home.path, 'token'), join(home.path, 'token'));
  if (existsSync(join(daemon.home.path, 'config.json')))
    copyFileSync(join(daemon.home.path, 'config.json'), join(home.path, 'config.json'));

  let next = 0;
  return {
    port,
    home: home.path,
    viewers: () => dashboard.sockets.size,
    async play(rate, ms) {
      const start = nowMs();
      let sent = 0;
      for (let tick = 0; tick < ms; tick++) {
        const now = nowMs();
        if (now - start >= ms) break;
        const due = Math.min(
          Math.floor(((now - start) * rate) / 1000) + 1 - sent,
          recording.events.length - next,
        );
        if (due > 0) {
          dashboard.emit('events', recording.events.slice(next, next + due));
          next += due;
          sent += due;
        }
        await sleep(8);
      }
      return sent;
    },
    buffered: () => {
      let total = 0;
      // engine.io's queue of packets not yet written to the websocket (not in its typings).
      for (const socket of dashboard.sockets.values())
        total += (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
      return total;
    },
    async stop() {
      await server.close();
      home.remove();
    },
  };
}
