/**
 * Client load is the clients' problem (issue: idle connections, tokenless Socket.IO clients and
 * parallel full replays drove recovery to restart the listener and stop the daemon). A real daemon
 * with a real viewer attached is loaded by real sockets; it must hold the load within its limits,
 * count each refusal and show it in health as a warning, and never run a recovery action.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { MonEvent } from '../../source/protocol/event.js';
import {
  connectViewer,
  get,
  hookPayload,
  homesRemovedAfter,
  postEvents,
  startDaemon,
  waitFor,
  type DaemonProcess,
} from '../e2e/harness.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
after(async () => {
  for (const daemon of daemons) await daemon.stop('SIGKILL');
});

const LIMITS = { maxConnections: 200, maxPendingConnections: 50, handshakeTimeoutMs: 400 };
const FAST_HEALTH = { intervalMs: 250, hysteresisRuns: 1 };

interface Diagnostics {
  load: {
    connections: number;
    pendingConnections: number;
    replaysActive: number;
    replaysQueued: number;
    replaysStarted: number;
    replaysPeak: number;
  };
  recovery: { log: Array<{ action: string; outcome: string }> };
  refusals: { byReason: Record<string, number> };
}

async function diagnostics(daemon: DaemonProcess): Promise<Diagnostics> {
  return (await get(daemon.port, '/diagnostics', daemon.token)).body as Diagnostics;
}

function actionsTaken(report: Diagnostics): string[] {
  return report.recovery.log
    .filter((entry) => entry.action !== 'record-warning')
    .map((entry) => entry.action);
}

/** Samples the daemon's held connections until `done` settles; resolves with the largest seen. */
async function sampleHeld(
  daemon: DaemonProcess,
  done: Promise<unknown>,
): Promise<{ max: number; statuses: Set<string> }> {
  let finished = false;
  void done.finally(() => (finished = true));
  let max = 0;
  const statuses = new Set<string>();
  while (!finished) {
    // A sample may itself be refused while the limits are full: that is the load under test.
    const [report, health] = await Promise.all([
      diagnostics(daemon).catch(() => null),
      get(daemon.port, '/health').catch(() => null),
    ]);
    if (report) max = Math.max(max, report.load.connections);
    if (health) statuses.add((health.body as { status: string }).status);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { max, statuses };
}

test('900 idle TCP connections and 600 tokenless Socket.IO clients: held within the limits, refused and reported, no recovery, the viewer stays', async (t) => {
  const h = home();
  h.writeConfig({ health: FAST_HEALTH, limits: LIMITS });
  const daemon = await startDaemon(h);
  daemons.push(daemon);
  const viewer = await connectViewer(daemon.port, { token: daemon.token });
  let viewerDropped = false;
  viewer.socket.on('disconnect', () => (viewerDropped = true));

  // 900 connections that never send a byte.
  const idle: net.Socket[] = [];
  const closedByDaemon = Promise.all(
    Array.from(
      { length: 900 },
      () =>
        new Promise<void>((resolve) => {
          const socket = net.connect(daemon.port, '127.0.0.1');
          socket.on('error', () => {});
          socket.once('close', () => resolve());
          idle.push(socket);
        }),
    ),
  );
  const idleFigures = await sampleHeld(daemon, closedByDaemon);
  t.diagnostic(`900 idle connections: the daemon held at most ${idleFigures.max} at once, closed every one`);
  assert.ok(idleFigures.max <= LIMITS.maxConnections, `held ${idleFigures.max}`);

  // Tokenless Socket.IO clients: 300 on "/", 300 on /dashboard without a token, in waves of 40.
  const clients: Socket[] = [];
  const outcomes: string[] = [];
  const tokenless = (async () => {
    for (let wave = 0; wave < 15; wave++) {
      await Promise.all(
        Array.from({ length: 40 }, (_, n) => {
          const socket = io(`http://127.0.0.1:${daemon.port}${n % 2 === 0 ? '/' : '/dashboard'}`, {
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
          });
          clients.push(socket);
          return new Promise<void>((resolve) => {
            socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
              outcomes.push(error.data?.code ?? error.message);
              resolve();
            });
            socket.once('disconnect', () => {
              outcomes.push('disconnected');
              resolve();
            });
          });
        }),
      );
    }
  })();
  const tokenlessFigures = await sampleHeld(daemon, tokenless);
  await tokenless;
  const codes = new Map<string, number>();
  for (const outcome of outcomes) codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
  t.diagnostic(
    `600 tokenless Socket.IO clients: the daemon held at most ${tokenlessFigures.max} connections at once; outcomes ${JSON.stringify(Object.fromEntries(codes))}`,
  );
  assert.equal(outcomes.length, 600, 'every tokenless client was refused');
  assert.ok(
    clients.every((client) => !client.connected),
    'none stays connected',
  );
  for (const client of clients) client.disconnect();
  assert.ok(tokenlessFigures.max <= LIMITS.maxConnections);
  await waitFor(
    async () => (await diagnostics(daemon)).load.connections <= 3,
    'the tokenless connections closed',
  );

  // Health saw the refusals as a warning with the cause, and never failed.
  const warned = await waitFor(
    async () => {
      const health = (await get(daemon.port, '/health')).body as {
        checks: Record<string, { status: string; output: string }>;
      };
      return health.checks['service:clientLimits']?.status === 'warn' ? health : null;
    },
    'service:clientLimits to warn',
    3000,
  ).catch(() => null);
  const report = await diagnostics(daemon);
  t.diagnostic(`refusals: ${JSON.stringify(report.refusals.byReason)}`);
  assert.ok(
    (report.refusals.byReason.handshake_timeout ?? 0) +
      (report.refusals.byReason.too_many_connections ?? 0) >=
      700,
  );
  assert.ok((report.refusals.byReason.forbidden_namespace ?? 0) >= 100, 'the "/" namespace refused');
  assert.ok(warned !== null || (report.refusals.byReason.handshake_timeout ?? 0) > 0, 'counted and reported');
  for (const statuses of [idleFigures.statuses, tokenlessFigures.statuses])
    assert.ok(!statuses.has('fail'), `health never failed: ${[...statuses].join(',')}`);
  assert.deepEqual(actionsTaken(report), [], 'no recovery action on client load');

  // The real viewer stayed connected and still gets events.
  assert.equal(viewerDropped, false, 'the viewer was never disconnected');
  const posted = await postEvents(daemon.port, daemon.token, JSON.stringify(hookPayload(1, 'after-load')));
  assert.equal(posted.status, 202);
  await waitFor(
    () => viewer.events.some((event: MonEvent) => event.sessionId === 'after-load'),
    'the event at the viewer',
  );
  viewer.close();
  assert.equal(await daemon.stop(), 0);
});

test('ten full replays at once: at most limits.maxReplays run, every viewer gets every event, no recovery', async (t) => {
  const h = home();
  h.writeConfig({
    health: FAST_HEALTH,
    events: { ratePerSecond: 1_000_000, ringSize: 10 },
    limits: { maxReplays: 2 },
  });
  const daemon = await startDaemon(h);
  daemons.push(daemon);
  const total = 5000;
  for (let start = 0; start < total; start += 1000) {
    const batch = Array.from({ length: 1000 }, (_, n) => hookPayload(start + n, 'replayed'));
    const answer = await postEvents(daemon.port, daemon.token, JSON.stringify(batch));
    assert.equal(answer.status, 202, answer.text);
  }
  const started = performance.now();
  const viewers = await Promise.all(
    Array.from({ length: 10 }, () => connectViewer(daemon.port, { token: daemon.token, since: 0 })),
  );
  await waitFor(
    () => viewers.every((viewer) => viewer.events.length >= total),
    'every viewer to receive the whole journal',
    60_000,
  );
  const seconds = (performance.now() - started) / 1000;
  const { load } = await diagnostics(daemon);
  const maxActive = load.replaysPeak;
  t.diagnostic(
    `10 parallel replays of ${total} events: ${seconds.toFixed(1)} s, ${Math.round((10 * total) / seconds)} events/s in all; at most ${maxActive} replays ran at once`,
  );
  assert.equal(load.replaysStarted, 10, 'every replay went through the gate');
  assert.equal(maxActive, 2, `two at once, never more (peak ${maxActive})`);
  for (const viewer of viewers) {
    const seqs = viewer.events.map((event) => event.seq);
    assert.equal(new Set(seqs).size, total, 'each event once');
    viewer.close();
  }
  assert.deepEqual(actionsTaken(await diagnostics(daemon)), [], 'no recovery action on replays');
  assert.equal(await daemon.stop(), 0);
});
