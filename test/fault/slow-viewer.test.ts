/**
 * A viewer that stops reading: its websocket is paused at the TCP level while a flood goes out. The
 * healthy viewer receives everything; the slow one is dropped once its backlog passes
 * `viewers.maxBacklog` (it is told why when it reads again), and the daemon's memory stays bounded.
 */
import assert from 'node:assert/strict';
import type { Socket as NetSocket } from 'node:net';
import { after, test } from 'node:test';
import { io } from 'socket.io-client';
import type { MonEvent } from '../../source/protocol/event.js';
import { connectViewer, get, postEvents, rssMb } from '../e2e/harness.js';
import { hookPayload, seqsOf } from '../helpers/events.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { type DaemonProcess, startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
after(async () => {
  for (const daemon of daemons) await daemon.stop('SIGKILL');
});

const FLOOD = 6000;
const BATCH = 200;
const PAD = 'p'.repeat(4096);

test('a viewer that stops reading is dropped past maxBacklog; the healthy one gets everything; RSS stays bounded', async (t) => {
  const h = home();
  h.writeConfig({
    viewers: { maxBacklog: 200 },
    events: { ratePerSecond: 1_000_000, ringSize: 500 },
  });
  const daemon = await startDaemon(h);
  daemons.push(daemon);
  const { port, token } = daemon;

  const healthy = await connectViewer(port, { token });
  const slow = io(`http://127.0.0.1:${port}/dashboard`, {
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  const slowEvents: MonEvent[] = [];
  const slowShutdowns: Array<{ reason: string }> = [];
  let slowDisconnected = false;
  slow.on('events', (events: MonEvent[]) => slowEvents.push(...events));
  slow.on('shutdown', (message: { reason: string }) => slowShutdowns.push(message));
  slow.on('disconnect', () => (slowDisconnected = true));
  await new Promise<void>((resolve, reject) => {
    slow.once('hello', () => resolve());
    slow.once('connect_error', reject);
  });
  const slowId = slow.id;
  try {
    const diagnostics = await get(port, '/diagnostics', token);
    assert.equal(diagnostics.body.viewers.length, 2, 'both viewers registered');
    // Stop reading: the kernel buffers fill, then the daemon's transport to this viewer stays busy.
    const tcp = (slow.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
    tcp.pause();

    const baseline = rssMb(daemon.pid);
    let peak = baseline;
    let lastSeq = 0;
    let maxSlowBacklog = 0;
    for (let sent = 0; sent < FLOOD; sent += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, i) => hookPayload(sent + i, 'flood', { pad: PAD }));
      const answer = await postEvents(port, token, JSON.stringify(batch));
      assert.equal(answer.status, 202, answer.text);
      lastSeq = answer.body.seqs.at(-1);
      peak = Math.max(peak, rssMb(daemon.pid));
      const listed = (await get(port, '/diagnostics', token)).body.viewers as Array<{
        id: string;
        backlog: number;
      }>;
      for (const viewer of listed)
        if (viewer.id === slowId) maxSlowBacklog = Math.max(maxSlowBacklog, viewer.backlog);
    }
    assert.equal(lastSeq, FLOOD);
    // What the daemon holds for the slow viewer is bounded in events: at most one publish past the limit.
    assert.ok(maxSlowBacklog > 0, 'the slow viewer did fall behind');
    assert.ok(maxSlowBacklog <= 200 + BATCH, `slow viewer backlog peaked at ${maxSlowBacklog}`);

    await waitFor(
      () => healthy.events.length >= FLOOD,
      'the healthy viewer to receive the whole flood',
      20_000,
    );
    assert.deepEqual(
      seqsOf(healthy.events),
      Array.from({ length: FLOOD }, (_, i) => i + 1),
    );
    assert.ok(healthy.socket.connected, 'the healthy viewer is still connected');

    const after = await waitFor(
      async () => {
        const answer = await get(port, '/diagnostics', token);
        return answer.body.viewers.length === 1 ? answer.body : null;
      },
      'the slow viewer to leave /diagnostics',
      10_000,
    );
    assert.notEqual(after.viewers[0].id, slowId, 'the one left is not the slow viewer');
    assert.equal(after.status.clients.viewers, 1);
    const metrics = await get(port, '/metrics', token);
    assert.match(metrics.text, /viewers_dropped_total\s+1\b/, 'counted as dropped');
    peak = Math.max(peak, rssMb(daemon.pid));
    // A coarse guard against a runaway (the backlog bound above is the precise one): V8 grows its heap
    // lazily under this allocation rate (~+80 MB RSS for this 23 MB flood, with or without the slow
    // viewer), so the bound is the daemon's own memory warning threshold (health.thresholds.memoryMb).
    t.diagnostic(
      `slow backlog peak ${maxSlowBacklog} events; RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MB`,
    );
    assert.ok(peak < 300, `RSS peaked at ${peak.toFixed(1)} MB (baseline ${baseline.toFixed(1)} MB)`);

    // Read again: what was already in the pipe, then the reason, then the disconnect.
    tcp.resume();
    await waitFor(() => slowDisconnected, 'the slow viewer to see its disconnect', 15_000);
    assert.equal(slowShutdowns.length, 1);
    assert.match(slowShutdowns[0]!.reason, /too slow/);
    t.diagnostic(`the slow viewer got ${slowEvents.length} of ${FLOOD} events before it was dropped`);
    assert.ok(slowEvents.length < FLOOD, `the slow viewer did not get everything (${slowEvents.length})`);
    assert.deepEqual(
      seqsOf(slowEvents),
      Array.from({ length: slowEvents.length }, (_, i) => i + 1),
      'what it got before the drop has no gap',
    );
  } finally {
    // A paused socket would hold the process for ws's 30 s close timeout: cut it.
    (
      slow.io.engine?.transport as unknown as { ws?: { _socket?: NetSocket } } | undefined
    )?.ws?._socket?.destroy();
    slow.removeAllListeners();
    slow.disconnect();
    healthy.close();
  }
  assert.equal(await daemon.stop(), 0);
});
