/**
 * The journal fails for real while the daemon runs: the next segment the journal rotates to is a
 * symlink to /dev/full, so every write gets ENOSPC. Producers are refused with 503
 * `journal_unavailable` (HTTP and Socket.IO), /health fails the journal check, nothing acknowledged
 * before is lost, and once the cause is removed new events are accepted again.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { segmentName } from '../../source/store/segments.js';
import { connectProducer, connectViewer, get, postEvents } from '../e2e/harness.js';
import { hookPayload, seqsOf } from '../helpers/events.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { type DaemonProcess, startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
after(async () => {
  for (const daemon of daemons) await daemon.stop('SIGKILL');
});

const SEGMENT_BYTES = 4096;

test(
  'disk full under the journal: clear refusals, /health fails, nothing acknowledged is lost, accepted again after',
  { skip: !existsSync('/dev/full') && 'no /dev/full on this platform' },
  async () => {
    const h = home();
    h.writeConfig({
      health: { intervalMs: 200 },
      journal: { segmentBytes: SEGMENT_BYTES },
      events: { ratePerSecond: 1_000_000 },
    });
    const daemon = await startDaemon(h);
    daemons.push(daemon);
    const { port, token } = daemon;
    const journal = join(h.path, 'journal');
    const viewer = await connectViewer(port, { token, since: 0 });
    const producer = await connectProducer(port, token);
    try {
      // Fill the active segment up to the rotation size, so that the next write opens a new file.
      const acked: number[] = [];
      let n = 0;
      const newestSegmentBytes = (): number => {
        const names = readdirSync(journal)
          .filter((name) => name.endsWith('.ndjson'))
          .sort();
        return names.length === 0 ? 0 : statSync(join(journal, names.at(-1)!)).size;
      };
      for (let round = 0; round < 100 && newestSegmentBytes() < SEGMENT_BYTES; round++) {
        const answer = await postEvents(port, token, JSON.stringify(hookPayload(n++, 'disk')));
        assert.equal(answer.status, 202, answer.text);
        acked.push(...(answer.body.seqs as number[]));
      }
      assert.ok(newestSegmentBytes() >= SEGMENT_BYTES, 'the active segment reached its rotation size');
      const lastAcked = acked.at(-1)!;
      const trap = join(journal, segmentName(lastAcked + 1));
      symlinkSync('/dev/full', trap);

      // HTTP: one event, then an array: both refused with the journal's reason.
      const refused = await postEvents(port, token, JSON.stringify(hookPayload(n++, 'disk')));
      assert.equal(refused.status, 503, refused.text);
      assert.equal(refused.body.error.code, 'journal_unavailable');
      assert.match(refused.body.error.message, /journal/);
      const refusedMany = await postEvents(
        port,
        token,
        JSON.stringify([hookPayload(n++, 'disk'), hookPayload(n++, 'disk')]),
      );
      assert.equal(refusedMany.status, 503, refusedMany.text);
      assert.equal(refusedMany.body.error.code, 'journal_unavailable');
      // Socket.IO: an error ack with the same code.
      const ack = await producer.timeout(5000).emitWithAck('event', hookPayload(n++, 'disk'));
      assert.equal(ack.ok, false);
      assert.equal(ack.error.code, 'journal_unavailable');
      assert.ok(ack.error.message.length > 0);

      const failing = await waitFor(
        async () => {
          const health = await get(port, '/health');
          return health.body?.checks?.['journal:writable']?.status === 'fail' ? health : null;
        },
        '/health to fail the journal check',
        5000,
      );
      assert.match(failing.body.checks['journal:writable'].output, /write/);
      await waitFor(
        async () => (await get(port, '/health')).status === 503,
        '/health to answer 503 (overall fail, after hysteresis)',
        5000,
      );
      const diagnostics = await get(port, '/diagnostics', token);
      assert.equal(diagnostics.body.journal.writable, false);
      assert.ok(diagnostics.body.journal.writeErrors >= 3, 'each refused write counted');

      // Remove the cause: new events are accepted again and the check passes.
      rmSync(trap);
      const again = await postEvents(port, token, JSON.stringify(hookPayload(n++, 'disk')));
      assert.equal(again.status, 202, again.text);
      assert.ok(again.body.seqs[0] > lastAcked, 'a burned seq is never reused');
      acked.push(...(again.body.seqs as number[]));
      const ackAgain = await producer.timeout(5000).emitWithAck('event', hookPayload(n++, 'disk'));
      assert.equal(ackAgain.ok, true);
      acked.push(ackAgain.seq as number);
      await waitFor(
        async () => (await get(port, '/health')).body?.checks?.['journal:writable']?.status === 'pass',
        '/health to pass the journal check again',
        5000,
      );

      // The live viewer saw exactly the acknowledged events, and so does a replay after a restart.
      await waitFor(() => viewer.events.length >= acked.length, 'the viewer got every acked event', 5000);
      assert.deepEqual(seqsOf(viewer.events), acked, 'live: every acked event, nothing refused');
      viewer.close();
      assert.equal(await daemon.stop(), 0);
      const restarted = await startDaemon(h);
      daemons.push(restarted);
      const replay = await connectViewer(restarted.port, { token, since: 0 });
      await waitFor(() => replay.events.length >= acked.length, 'the replay after a restart', 5000);
      assert.deepEqual(seqsOf(replay.events), acked, 'on disk: every acked event, nothing refused');
      replay.close();
      assert.equal(await restarted.stop(), 0);
    } finally {
      producer.disconnect();
      viewer.close();
    }
  },
);
