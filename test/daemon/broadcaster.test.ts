/**
 * The Broadcaster on its own: a real Socket.IO server on 127.0.0.1, real socket.io-client viewers and a
 * real journal store whose tail feeds it (as the daemon wires it, without the rest of the daemon).
 * Every viewer gets every stored event after its `since`, in seq order, once — replay and live joined
 * without a gap, however the writes and the attaches interleave.
 */
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, test } from 'node:test';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Broadcaster } from '../../source/daemon/broadcaster.js';
import type { MonEvent } from '../../source/protocol/event.js';
import type { JournalStore } from '../../source/store/index.js';
import { drafts, range, seqsOf } from '../helpers/events.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { tempDir } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';
import { openTestStore } from '../store/helpers.js';

const temp = tempDir('mpm-mon-broadcaster-');
let http: HttpServer;
let io: Server;
let port = 0;
let store: JournalStore;
let broadcaster: Broadcaster;
let stores = 0;
const clients: ClientSocket[] = [];

before(async () => {
  http = createServer();
  io = new Server(http, { transports: ['websocket'] });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  port = (http.address() as AddressInfo).port;
});

/** A fresh store and broadcaster per test; the namespace hands each viewer to the broadcaster. */
async function setUp(maxBacklog = 10_000, batchMs = 5): Promise<void> {
  stores += 1;
  store = await openTestStore(`${temp.path}/store-${stores}`);
  broadcaster = new Broadcaster({ batchMs, maxBacklog, logger: recordingLogger() });
  const nsp = io.of(`/dashboard-${stores}`);
  broadcaster.rebind(nsp);
  broadcaster.follow(store);
  nsp.on('connection', (socket) => {
    const since = (socket.handshake.auth as { since?: number | null }).since ?? null;
    void broadcaster.attach(socket, since, store);
  });
}

interface Viewer {
  socket: ClientSocket;
  received: MonEvent[];
  shutdowns: string[];
}

async function viewer(since: number | null): Promise<Viewer> {
  const socket = connect(`http://127.0.0.1:${port}/dashboard-${stores}`, {
    transports: ['websocket'],
    reconnection: false,
    auth: { since },
  });
  clients.push(socket);
  const seen: Viewer = { socket, received: [], shutdowns: [] };
  socket.on('events', (batch: MonEvent[]) => seen.received.push(...batch));
  socket.on('shutdown', (message: { reason: string }) => seen.shutdowns.push(message.reason));
  await waitFor(() => socket.connected, 'the viewer to connect');
  return seen;
}

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.disconnect();
  broadcaster.stop();
  broadcaster.unfollow();
  await store.close();
});

after(async () => {
  await io.close();
  temp.remove();
});

test('a viewer with since gets what was stored after it, then what is stored live, in order, once', async () => {
  await setUp();
  await store.append(drafts(1, 30));
  const from10 = await viewer(10);
  await waitFor(() => from10.received.length >= 20, 'the replay');
  await store.append(drafts(31, 20));
  await waitFor(() => from10.received.length >= 40, 'the live events');
  assert.deepEqual(seqsOf(from10.received), range(11, 50));
});

test('a live-only viewer (since null) gets nothing from before it came', async () => {
  await setUp();
  await store.append(drafts(1, 5));
  await waitFor(() => broadcaster.followedSeq === 5, 'the tail to reach what is stored');
  const live = await viewer(null);
  await waitFor(() => broadcaster.viewerCount === 1, 'the viewer registered');
  await store.append(drafts(6, 3));
  await waitFor(() => live.received.length >= 3, 'the live events');
  assert.deepEqual(seqsOf(live.received), [6, 7, 8]);
});

test('viewers arriving while events are written: each gets every event from its since, no gap, no duplicate', async () => {
  await setUp();
  const viewers: Array<{ since: number; seen: Viewer }> = [];
  const total = 600;
  for (let written = 0; written < total; written += 50) {
    await store.append(drafts(written + 1, 50));
    const since = Math.max(0, written - 25);
    viewers.push({ since, seen: await viewer(since) });
  }
  for (const { since, seen } of viewers) {
    await waitFor(() => seen.received.length >= total - since, `the viewer from ${since} to catch up`);
    assert.deepEqual(seqsOf(seen.received), range(since + 1, total), `the viewer from ${since}`);
  }
  assert.equal(broadcaster.maxBacklog(), 0, 'every viewer caught up and is live');
  assert.ok(broadcaster.viewersInfo().every((info) => info.live && info.sentSeq === total));
});

test('a viewer that stops reading is dropped past maxBacklog; the others get everything', async () => {
  await setUp(40);
  const kept = await viewer(0);
  const slow = await viewer(0);
  await waitFor(() => broadcaster.viewerCount === 2, 'both viewers registered');
  // The slow viewer stops reading its TCP socket: the daemon's writes pile up once the kernel's buffers fill.
  const transport = slow.socket.io.engine.transport as unknown as {
    ws: { _socket: { pause(): void; destroy(): void } };
  };
  transport.ws._socket.pause();
  const blob = 'x'.repeat(64 * 1024);
  const total = 400;
  for (let written = 0; written < total; written += 20)
    await store.append(drafts(written + 1, 20).map((item) => ({ ...item, data: { blob } })));
  await waitFor(() => broadcaster.droppedSlowViewers === 1, 'the slow viewer dropped', 60_000);
  await waitFor(() => kept.received.length >= total, 'the kept viewer to get everything', 60_000);
  assert.deepEqual(seqsOf(kept.received), range(1, total));
  assert.equal(broadcaster.viewerCount, 1);
  assert.ok(slow.received.length < total, 'the slow viewer did not get everything');
  assert.equal(broadcaster.dropLagging(1), 0, 'a viewer that keeps up is never dropped by recovery');
  // It would never finish the WebSocket close handshake.
  transport.ws._socket.destroy();
});

test('a viewer whose replay ends while a live frame waits gets that frame once, not again from the room', async () => {
  // A long batch window, so the frame of events 2-4 is still waiting when the second viewer has
  // replayed them from the store and joined the live room (through a load balancer's failover, a
  // viewer resuming by since lands in exactly that window now and then).
  await setUp(10_000, 800);
  const first = await viewer(null);
  await store.append(drafts(1, 1));
  await waitFor(() => first.received.length === 1, 'the first frame (sent at once after a quiet spell)');
  await store.append(drafts(2, 3));
  await waitFor(() => broadcaster.followedSeq === 4, 'the live tail to hold events 2-4');
  const second = await viewer(0);
  await waitFor(() => seqsOf(second.received).includes(4), 'the second viewer to replay up to 4');
  await waitFor(() => first.received.length === 4, 'the waiting frame to go out');
  await store.append(drafts(5, 1));
  await waitFor(() => seqsOf(second.received).includes(5), 'a later frame to reach the second viewer');
  assert.deepEqual(seqsOf(first.received), range(1, 5));
  assert.deepEqual(seqsOf(second.received), range(1, 5), 'every event once');
});
