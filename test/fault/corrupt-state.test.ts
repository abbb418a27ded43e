/**
 * Damaged state on disk at start-up: garbage and a torn line in the middle of a journal segment, a
 * whole segment of garbage (not even ending with a newline), and spool files that are not what the
 * hook writes. The daemon starts, counts the corrupt lines, sets the bad spool files aside in
 * spool/bad/, and delivers everything good — the journal's events and the good spooled hooks.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { segmentName } from '../../source/store/segments.js';
import { connectViewer, fixture, get, postEvents } from '../e2e/harness.js';
import { hookPayload, seqsOf } from '../helpers/events.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { type DaemonProcess, runCli, startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
after(async () => {
  for (const daemon of daemons) await daemon.stop('SIGKILL');
});

/** A line of random bytes that is neither JSON, nor blank, nor split by a newline. */
function garbageLine(): Buffer {
  const bytes = randomBytes(120).map((byte) => (byte === 0x0a ? 0x20 : byte));
  return Buffer.concat([Buffer.from('X'), bytes]);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

function spoolName(ms: number, bytes: number): string {
  return `${String(ms).padStart(13, '0')}-${String(process.hrtime.bigint()).padStart(20, '0')}-${process.pid}-${bytes}.json`;
}

test('corrupt and torn journal segments and a garbage spool: the daemon starts, counts, sets aside, delivers the good', async () => {
  const h = home();
  h.writeConfig({ journal: { segmentBytes: 4096 }, events: { ratePerSecond: 1_000_000 } });
  const first = await startDaemon(h);
  daemons.push(first);
  for (let n = 0; n < 30; n++) {
    const answer = await postEvents(first.port, first.token, JSON.stringify(hookPayload(n, 'damage')));
    assert.equal(answer.status, 202);
  }
  assert.equal(await first.stop(), 0);

  const journal = join(h.path, 'journal');
  const segments = readdirSync(journal)
    .filter((name) => name.endsWith('.ndjson'))
    .sort();
  assert.ok(segments.length >= 2, `several segments (${segments.length})`);

  // 1. Garbage and a torn line in the middle of the first segment: 4 corrupt lines.
  const firstPath = join(journal, segments[0]!);
  const lines = readFileSync(firstPath, 'utf8').split('\n');
  assert.ok(lines.length > 5);
  const damaged = [
    ...lines.slice(0, 3),
    'this is not json',
    '{"seq":"seven","id":"a seq that is not a number"}',
    '{"seq":2,"id":"torn-in-the-mid',
    garbageLine().toString('latin1'),
    ...lines.slice(3),
  ];
  writeFileSync(firstPath, damaged.join('\n'), 'latin1');
  // 2. A whole segment of garbage after the last one, torn at the end: 5 corrupt lines.
  const garbageSegment = join(journal, segmentName(31));
  writeFileSync(
    garbageSegment,
    Buffer.concat(
      Array.from({ length: 5 }, (_, i) => Buffer.concat([garbageLine(), Buffer.from(i < 4 ? '\n' : '')])),
    ),
  );
  const corruptExpected = 4 + 5;

  // 3. The spool: two good hooks (the real hook command, daemon down) and garbage beside them.
  const prompts = ['spooled one', 'spooled two'];
  for (const prompt of prompts) {
    const result = runCli(
      h,
      ['hook'],
      JSON.stringify({ ...JSON.parse(fixture('UserPromptSubmit.json')), prompt }),
    );
    assert.equal(result.code, 0);
  }
  const spool = join(h.path, 'spool');
  const good = readdirSync(spool).filter((name) => name.endsWith('.json'));
  assert.equal(good.length, 2, 'the hook spooled both');
  const garbage: Array<[string, string]> = [
    ['not JSON', '{"v":1,"source":"hook","payl'],
    ['unknown version', JSON.stringify({ v: 99, source: 'hook', payload: '{}' })],
    ['payload not JSON', JSON.stringify({ v: 1, source: 'hook', payload: '{nope' })],
    ['binary', randomBytes(64).toString('latin1')],
  ];
  const garbageNames: string[] = [];
  for (const [index, [, content]] of garbage.entries()) {
    // Before, between and after the good ones in name order.
    const name = spoolName(index === 0 ? 1 : Date.now() + index, content.length);
    writeFileSync(join(spool, name), content, 'latin1');
    garbageNames.push(name);
  }
  const staleTmp = `${spoolName(Date.now(), 10)}.tmp`;
  writeFileSync(join(spool, staleTmp), '{"v":1,"so');
  const longAgo = new Date(Date.now() - 10 * 60_000);
  utimesSync(join(spool, staleTmp), longAgo, longAgo);

  const second = await startDaemon(h);
  daemons.push(second);
  const { port, token } = second;
  const viewer = await connectViewer(port, { token, since: 0 });
  try {
    // 30 journal events (seqs 1–30), the garbage segment's name burns 31, the spool gives 32 and 33.
    await waitFor(() => viewer.events.length >= 32, 'the journal and the good spooled hooks', 10_000);
    assert.deepEqual(seqsOf(viewer.events), [...range(1, 30), 32, 33]);
    assert.deepEqual(
      viewer.events.slice(0, 30).map((event) => (event.data.tool_input as { command: string }).command),
      range(0, 29).map((n) => `echo ${n}`),
      'every good journal line, in order',
    );
    assert.deepEqual(
      viewer.events.slice(30).map((event) => event.data.prompt),
      prompts,
    );
    assert.ok(viewer.events.slice(30).every((event) => event.source === 'spool'));

    const diagnostics = await get(port, '/diagnostics', token);
    assert.equal(diagnostics.body.journal.corruptLines, corruptExpected);
    await waitFor(
      () => readdirSync(spool).filter((name) => name.endsWith('.json') || name.endsWith('.tmp')).length === 0,
      'the spool emptied',
      5000,
    );
    const bad = readdirSync(join(spool, 'bad'));
    for (const name of [...garbageNames, staleTmp])
      assert.ok(
        bad.some((entry) => entry.startsWith(name)),
        `${name} set aside in spool/bad/`,
      );
    assert.equal(bad.length, garbageNames.length + 1, 'only the garbage was set aside');
    const health = await get(port, '/health');
    assert.equal(health.status, 200, 'corrupt lines are a warning for an operator, not a failure');
    assert.equal(health.body.checks['journal:corruptLines'].status, 'warn');

    // New events go after the torn garbage segment and are readable after another restart.
    const next = await postEvents(port, token, JSON.stringify(hookPayload(100, 'damage')));
    assert.equal(next.status, 202);
    assert.deepEqual(next.body.seqs, [34]);
  } finally {
    viewer.close();
  }
  assert.equal(await second.stop(), 0);
  const third = await startDaemon(h);
  daemons.push(third);
  const replay = await connectViewer(third.port, { token: third.token, since: 30 });
  try {
    await waitFor(() => replay.events.length >= 3, 'the replay after the garbage segment', 5000);
    assert.deepEqual(seqsOf(replay.events), [32, 33, 34]);
    const diagnostics = await get(third.port, '/diagnostics', third.token);
    assert.equal(
      diagnostics.body.journal.corruptLines,
      corruptExpected,
      'the appended event did not glue onto garbage',
    );
  } finally {
    replay.close();
  }
  assert.equal(await third.stop(), 0);
});
