import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { connectProducer, connectViewer, fixture, postEvents } from './harness.js';
import { hookPayload, seqsOf } from '../helpers/events.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

describe('no event lost, across crashes and restarts', () => {
  test('kill -9 during a stream, then restart: every acked event is there, seqs keep growing', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    const socket = await connectProducer(daemon.port, daemon.token);
    const acked: number[] = [];
    let sent = 0;
    const pump = (async () => {
      while (sent < 5000 && socket.connected) {
        const n = sent++;
        socket.emit('event', hookPayload(n, 'crash'), (ack: { ok: boolean; seq: number }) => {
          if (ack.ok) acked.push(ack.seq);
        });
        if (n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await waitFor(() => acked.length >= 300, 'some acks before the crash', 10_000);
    process.kill(daemon.pid, 'SIGKILL');
    await daemon.exited;
    socket.disconnect();
    await pump;
    assert.ok(acked.length >= 300);

    const restarted = await startDaemon(h);
    const viewer = await connectViewer(restarted.port, { token: restarted.token, since: 0 });
    const highest = Math.max(...acked);
    await waitFor(
      () => viewer.events.some((event) => event.seq >= highest),
      'replay up to the last acked seq',
      10_000,
    );
    const seen = new Set(seqsOf(viewer.events));
    for (const seq of acked) assert.ok(seen.has(seq), `acked seq ${seq} survived the crash`);
    const seqs = seqsOf(viewer.events);
    assert.deepEqual(
      seqs,
      [...new Set(seqs)].sort((a, b) => a - b),
      'in order, no duplicate',
    );
    const after = await postEvents(
      restarted.port,
      restarted.token,
      JSON.stringify(hookPayload(99_999, 'after')),
    );
    assert.ok(after.body.seqs[0] > Math.max(...seqs), 'a seq is never reused');
    viewer.close();
    await restarted.stop();
  });

  test('a torn last journal line is skipped and counted; the daemon starts and continues', async () => {
    const h = home();
    const first = await startDaemon(h);
    await postEvents(first.port, first.token, JSON.stringify([hookPayload(1), hookPayload(2)]));
    await first.stop();
    const journal = join(h.path, 'journal');
    const segment = readdirSync(journal)
      .filter((name) => name.endsWith('.ndjson'))
      .sort()
      .at(-1)!;
    appendFileSync(join(journal, segment), '{"seq":3,"id":"torn","type":"Pre');
    const second = await startDaemon(h);
    const next = await postEvents(second.port, second.token, JSON.stringify(hookPayload(3)));
    assert.equal(next.status, 202);
    assert.ok(next.body.seqs[0] >= 3);
    const viewer = await connectViewer(second.port, { token: second.token, since: 0 });
    await waitFor(() => viewer.events.length >= 3, 'all three readable', 5000);
    assert.deepEqual(
      viewer.events.map((event) => (event.data.tool_input as { command: string }).command),
      ['echo 1', 'echo 2', 'echo 3'],
    );
    viewer.close();
    await second.stop();
  });

  test('replay from the journal beyond the ring, and `last: N`', async () => {
    const h = home();
    h.writeConfig({ events: { ringSize: 20 } });
    const daemon = await startDaemon(h);
    const batch = Array.from({ length: 150 }, (_, index) => hookPayload(index, 'ring'));
    const answer = await postEvents(daemon.port, daemon.token, JSON.stringify(batch));
    assert.equal(answer.body.accepted, 150);
    const all = await connectViewer(daemon.port, { token: daemon.token, since: 0 });
    await waitFor(() => all.events.length >= 150, 'the whole journal replayed', 10_000);
    assert.deepEqual(seqsOf(all.events), range(1, 150));
    const tail = await connectViewer(daemon.port, { token: daemon.token, last: 5 });
    await waitFor(() => tail.events.length >= 5, 'the last five', 5000);
    assert.deepEqual(seqsOf(tail.events), range(146, 150));
    const live = await connectViewer(daemon.port, { token: daemon.token });
    await postEvents(daemon.port, daemon.token, JSON.stringify(hookPayload(151, 'ring')));
    await waitFor(() => live.events.length >= 1, 'a live event', 5000);
    assert.deepEqual(seqsOf(live.events), [151], 'no auth.since/last: live only');
    for (const viewer of [all, tail, live]) viewer.close();
    await daemon.stop();
  });

  test('a viewer resuming with since after a daemon restart gets no gap and no duplicate', async () => {
    const h = home();
    const first = await startDaemon(h);
    await postEvents(
      first.port,
      first.token,
      JSON.stringify([hookPayload(1), hookPayload(2), hookPayload(3)]),
    );
    const viewer = await connectViewer(first.port, { token: first.token, since: 0 });
    await waitFor(() => viewer.events.length >= 3, 'first three', 5000);
    const lastSeen = viewer.events.at(-1)!.seq;
    viewer.close();
    await first.stop();
    const second = await startDaemon(h);
    await postEvents(second.port, second.token, JSON.stringify([hookPayload(4), hookPayload(5)]));
    const resumed = await connectViewer(second.port, { token: second.token, since: lastSeen });
    await waitFor(() => resumed.events.length >= 2, 'the two new events', 5000);
    assert.deepEqual(seqsOf(resumed.events), [lastSeen + 1, lastSeen + 2]);
    resumed.close();
    await second.stop();
  });

  test('a secret in a hook spooled while the daemon is down never reaches the disk', () => {
    const h = home();
    const result = runCli(h, ['hook'], fixture('PreToolUse-secret.json'));
    assert.equal(result.code, 0);
    const spooled = readdirSync(join(h.path, 'spool')).filter((name) => name.endsWith('.json'));
    assert.equal(spooled.length, 1);
    const text = readFileSync(join(h.path, 'spool', spooled[0]!), 'utf8');
    assert.ok(!text.includes('ghp_R4nd0m') && !text.includes('sk-ant-api03'), 'scrubbed before spooling');
    assert.match(text, /curl/);
  });

  test('hooks with the daemon down are spooled, then drained in order when it starts', async () => {
    const h = home();
    const prompts = ['first', 'second', 'third'];
    for (const prompt of prompts) {
      const payload = { ...JSON.parse(fixture('UserPromptSubmit.json')), prompt };
      const started = Date.now();
      const result = runCli(h, ['hook'], JSON.stringify(payload));
      assert.equal(result.code, 0);
      assert.equal(result.stdout, '');
      assert.ok(Date.now() - started < 5000);
    }
    assert.equal(readdirSync(join(h.path, 'spool')).filter((name) => name.endsWith('.json')).length, 3);
    const daemon = await startDaemon(h);
    const viewer = await connectViewer(daemon.port, { token: daemon.token, since: 0 });
    await waitFor(() => viewer.events.length >= 3, 'the spooled events', 10_000);
    assert.deepEqual(
      viewer.events.map((event) => event.data.prompt),
      prompts,
    );
    assert.ok(viewer.events.every((event) => event.source === 'spool'));
    await waitFor(
      () => readdirSync(join(h.path, 'spool')).filter((name) => name.endsWith('.json')).length === 0,
      'the spool emptied',
      5000,
    );
    viewer.close();
    await daemon.stop();
  });
});
