/**
 * Stored once: a spooled (scrubbed) copy and a late live copy of one payload are one event; a retry
 * after a restart gets its first seq back (the dedupe window is rebuilt from the journal); and a
 * SIGTERM under load acknowledges every event it journaled before it closes. Real daemons, real hook.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connectProducer, get, journalEvents, postEvents } from '../e2e/harness.js';
import { hookPayload } from '../helpers/events.js';
import { homesRemovedAfter, type Home } from '../helpers/temp-home.js';
import { runCli, startDaemon, type DaemonProcess } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
after(async () => {
  for (const daemon of daemons) await daemon.stop('SIGKILL');
});

async function daemonOn(h: Home): Promise<DaemonProcess> {
  const daemon = await startDaemon(h);
  daemons.push(daemon);
  return daemon;
}

const GHP = 'ghp' + '_StoredOnceT0k3nV4lu3F0rT3st1ng0000';

test('a spooled copy, a late live copy and a retry after a restart are one event', async () => {
  const h = home();
  // The daemon is down: the hook spools a scrubbed copy, stamped with when it read the payload.
  const payload = hookPayload(1, 'sess-once', {
    tool_input: { command: `curl -H "Authorization: Bearer ${GHP}"` },
  });
  const before = Date.now();
  assert.equal(runCli(h, ['hook'], JSON.stringify(payload)).code, 0);
  assert.equal(readdirSync(join(h.path, 'spool')).filter((name) => name.endsWith('.json')).length, 1);

  const first = await daemonOn(h);
  const spooled = await waitFor(
    () => journalEvents(h).find((event) => event.sessionId === 'sess-once'),
    'the drain',
  );
  assert.equal(spooled.source, 'spool');
  assert.ok(Date.parse(spooled.occurredAt) >= before - 1000);
  assert.ok(spooled.occurredAt < spooled.receivedAt, 'occurredAt is when the hook read it, not the drain');

  // The live copy (raw, with the secret) arrives late: the same content id, so a duplicate.
  const late = await postEvents(first.port, first.token, JSON.stringify(payload));
  assert.equal(late.status, 202, late.text);
  assert.deepEqual(late.body.seqs, [spooled.seq]);
  assert.equal(late.body.duplicates, 1);

  // A restart, then a retry: the window was rebuilt from the journal.
  await first.stop();
  const second = await daemonOn(h);
  const retry = await postEvents(second.port, second.token, JSON.stringify(payload));
  assert.equal(retry.status, 202, retry.text);
  assert.deepEqual(retry.body.seqs, [spooled.seq]);
  assert.equal(retry.body.duplicates, 1);
  assert.equal(journalEvents(h).filter((event) => event.sessionId === 'sess-once').length, 1, 'stored once');
  assert.ok(!JSON.stringify(journalEvents(h)).includes(GHP));
  await second.stop();
});

test('SIGTERM under load: every event the daemon journaled was acknowledged', async () => {
  const h = home();
  h.writeConfig({ events: { ratePerSecond: 1_000_000 } });
  const daemon = await daemonOn(h);
  const socket = await connectProducer(daemon.port, daemon.token);
  const acked = new Set<string>();
  const refused = new Set<string>();
  const sends: Array<Promise<void>> = [];
  let sent = 0;
  let inFlight = 0;
  const stopAfter = 200;
  // A window of 64 events in flight, refilled as acks come back, until the daemon goes away: SIGTERM
  // lands while events are being journaled.
  const send = (): void => {
    const id = `toolu_${sent}`;
    sent++;
    inFlight++;
    sends.push(
      socket
        .timeout(20_000)
        .emitWithAck('event', hookPayload(sent, 'sess-term', { tool_use_id: id }))
        .then(
          (ack: { ok: boolean }) => void (ack.ok ? acked : refused).add(id),
          () => undefined,
        )
        .finally(() => {
          inFlight--;
          if (socket.connected && sent < 20_000) send();
        }),
    );
  };
  for (let index = 0; index < 64; index++) send();
  const pump = waitFor(() => !socket.connected || sent >= 20_000, 'the producer to stop', 60_000);
  await waitFor(() => acked.size >= stopAfter, 'the first acks', 10_000);
  const code = await daemon.stop('SIGTERM');
  assert.equal(code, 0);
  await pump;
  await waitFor(() => inFlight === 0, 'every send to settle', 30_000);
  await Promise.all(sends);
  socket.disconnect();
  const journaled = journalEvents(h).map((event) => event.data.tool_use_id as string);
  const unacked = journaled.filter((id) => !acked.has(id));
  assert.ok(journaled.length >= stopAfter);
  assert.deepEqual(unacked, [], `${unacked.length} of ${journaled.length} journaled events were never acked`);
  for (const id of refused) assert.ok(!journaled.includes(id), `${id} was refused yet journaled`);
  assert.equal((await get(daemon.port, '/health').catch(() => null)) === null, true, 'the daemon is gone');
});
