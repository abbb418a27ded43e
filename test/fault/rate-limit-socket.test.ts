/**
 * A Socket.IO producer flooding over its rate limit: its acks say `rate_limited` with `retryAfterMs`,
 * it stays connected, and another producer's events still go through. Only accepted events reach
 * viewers, and the flooder is accepted again once it waits as told.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { IngestAck } from '../../source/protocol/event.js';
import {
  connectProducer,
  connectViewer,
  get,
  hookPayload,
  homesRemovedAfter,
  seqsOf,
  startDaemon,
  waitFor,
  type DaemonProcess,
} from '../e2e/harness.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
const sockets: Socket[] = [];
after(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const daemon of daemons) await daemon.stop('SIGKILL');
});

const RATE = 50;
const FLOOD = 400;

async function producer(port: number, token: string, id?: string): Promise<Socket> {
  const socket = await connectProducer(port, token, id);
  sockets.push(socket);
  return socket;
}

const send = (socket: Socket, payload: unknown): Promise<IngestAck> =>
  socket.timeout(5000).emitWithAck('event', payload) as Promise<IngestAck>;

test('a Socket.IO flood over the rate limit gets rate_limited acks with retryAfterMs; another producer goes through', async (t) => {
  const h = home();
  h.writeConfig({ events: { ratePerSecond: RATE } });
  const daemon = await startDaemon(h);
  daemons.push(daemon);
  const { port, token } = daemon;
  const viewer = await connectViewer(port, { token });
  // Two programs on one machine: each declares its producer id and so has its own budget.
  const flooder = await producer(port, token, 'flood');
  const polite = await producer(port, token, 'polite');

  try {
    // The flood goes out all at once; the polite producer sends a few events in the middle of it.
    const flood = Array.from({ length: FLOOD }, (_, n) => send(flooder, hookPayload(n, 'flood')));
    const politeAcks = await Promise.all(
      Array.from({ length: 10 }, (_, n) => send(polite, hookPayload(n, 'polite'))),
    );
    const floodAcks = await Promise.all(flood);

    for (const [n, ack] of politeAcks.entries())
      assert.equal(ack.ok, true, `polite event ${n}: ${JSON.stringify(ack)}`);
    const accepted = floodAcks.filter((ack): ack is Extract<IngestAck, { ok: true }> => ack.ok);
    const limited = floodAcks.filter((ack): ack is Extract<IngestAck, { ok: false }> => !ack.ok);
    t.diagnostic(
      `flood of ${FLOOD} at ${RATE}/s: ${accepted.length} accepted, ${limited.length} rate_limited`,
    );
    assert.ok(accepted.length >= 1, 'the burst is accepted');
    assert.ok(accepted.length < FLOOD / 2, `most of the flood is refused (${accepted.length} accepted)`);
    for (const ack of limited) {
      assert.equal(ack.error.code, 'rate_limited');
      assert.ok(ack.error.message.length > 0);
      assert.ok(
        typeof ack.error.retryAfterMs === 'number' && ack.error.retryAfterMs > 0,
        `retryAfterMs: ${String(ack.error.retryAfterMs)}`,
      );
      assert.ok(ack.error.retryAfterMs < 60_000, 'a sensible wait');
    }
    assert.ok(flooder.connected, 'the flooder is refused, not disconnected');

    // Only what was accepted reaches the viewer, in seq order.
    const acceptedSeqs = [
      ...accepted.map((ack) => ack.seq),
      ...politeAcks.map((ack) => (ack as { seq: number }).seq),
    ].sort((a, b) => a - b);
    await waitFor(
      () => viewer.events.length >= acceptedSeqs.length,
      'every accepted event at the viewer',
      5000,
    );
    assert.deepEqual(seqsOf(viewer.events), acceptedSeqs);
    assert.equal(viewer.events.filter((event) => event.sessionId === 'polite').length, 10);

    // Waiting as told makes room again.
    const wait = Math.max(...limited.map((ack) => ack.error.retryAfterMs ?? 0));
    assert.ok(wait < 1000, `retryAfterMs ${wait} fits the test's bound`);
    await new Promise((resolve) => setTimeout(resolve, wait + 20));
    const retry = await send(flooder, hookPayload(FLOOD + 1, 'flood'));
    assert.equal(retry.ok, true, `after waiting ${wait} ms: ${JSON.stringify(retry)}`);
  } finally {
    viewer.close();
  }
  assert.equal(await daemon.stop(), 0);
});

const SOCKETS = 20;

/** Each of `sockets` sends `each` events at once; resolves with how many were accepted. */
async function floodFrom(sockets: Socket[], each: number): Promise<number> {
  const acks = await Promise.all(
    sockets.flatMap((socket, s) =>
      Array.from({ length: each }, (_, n) => send(socket, hookPayload(s * 1000 + n, `many-${s}`))),
    ),
  );
  return acks.filter((ack) => ack.ok).length;
}

test('the rate limit is per producer, not per socket: twenty sockets share one budget, twenty ids at most producersPerAddress + 1', async (t) => {
  const h = home();
  h.writeConfig({ events: { ratePerSecond: RATE }, limits: { producersPerAddress: 4 } });
  const daemon = await startDaemon(h);
  daemons.push(daemon);
  const { port, token } = daemon;

  const anonymous = await Promise.all(Array.from({ length: SOCKETS }, () => producer(port, token)));
  const sharedAccepted = await floodFrom(anonymous, 20);
  for (const socket of anonymous) socket.disconnect();

  const named = await Promise.all(Array.from({ length: SOCKETS }, (_, n) => producer(port, token, `p${n}`)));
  const namedAccepted = await floodFrom(named, 20);
  t.diagnostic(
    `${SOCKETS} sockets × 20 events at ${RATE}/s: ${sharedAccepted} accepted without ids, ${namedAccepted} with ${SOCKETS} ids`,
  );
  // One budget holds about one burst (RATE) plus what refills while the flood is read.
  assert.ok(sharedAccepted <= RATE * 2, `without ids one budget: ${sharedAccepted} accepted`);
  assert.ok(namedAccepted <= RATE * 2 * 5, `4 ids + one overflow budget: ${namedAccepted} accepted`);
  assert.ok(namedAccepted < SOCKETS * 20, 'the flood of twenty ids is still limited');
  const health = await get(port, '/health');
  const checks = (health.body as { checks: Record<string, { status: string }> }).checks;
  assert.ok(checks['service:clientLimits'], 'service:clientLimits is in /health');
  assert.equal(await daemon.stop(), 0);
});
