// Journal edges: incomplete or corrupt lines are counted and skipped by every reader (recovery, reads,
// the real `mpm-mon events`), and a journal whose seq approaches 2^53 is refused with a clear error.
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { JournalError } from '../../source/errors/journal-error.js';
import type { MonEvent } from '../../source/protocol/event.js';
import { SEQ_LIMIT } from '../../source/store/journal-store.js';
import { segmentName } from '../../source/store/segments.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { draft, seqsOf } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';
import { openTestStore } from './helpers.js';

const temps: Array<() => void> = [];
after(() => temps.forEach((remove) => remove()));
const home = homesRemovedAfter();

function event(seq: number): MonEvent {
  return { seq, ...draft(seq) };
}

/** Good events 1, 3 and 5 with incomplete lines between them. */
function damagedSegment(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const lines = [
    JSON.stringify(event(1)),
    '{"seq":2}',
    JSON.stringify(event(3)),
    JSON.stringify({ seq: 4, id: 'x', receivedAt: 'y', type: 'Stop', sessionId: 's', data: 'not an object' }),
    '{"seq": 4.5, "id": "torn',
    JSON.stringify({ ...event(5), occurredAt: undefined }),
  ];
  writeFileSync(join(dir, segmentName(1)), `${lines.join('\n')}\n`);
}

test('incomplete lines are counted at recovery and skipped by every read', async () => {
  const { path: dir, remove } = tempDir();
  temps.push(remove);
  damagedSegment(dir);
  const store = await openTestStore(dir, { ringSize: 1 });
  try {
    assert.equal(store.stats().corruptLines, 3);
    assert.deepEqual(seqsOf(await store.readSince(0, 100)), [1, 3, 5]);
    assert.deepEqual(seqsOf(await store.readBefore(6, 100)), [1, 3, 5]);
    const [fifth] = await store.readSince(4, 1);
    assert.equal(fifth!.occurredAt, fifth!.receivedAt, 'an old line without occurredAt gets receivedAt');
    // As JSON (a history page) too: the lines as read, the old one written out with what it was given.
    const page = await store.readBeforeJson(6, 100);
    assert.deepEqual(
      page.map((item) => JSON.parse(item.json) as unknown),
      await store.readBefore(6, 100),
    );
    assert.equal(page[0]!.json, JSON.stringify(event(1)));
  } finally {
    await store.close();
  }
});

test('a history page passes journal lines on as they were written, not serialized again', async () => {
  const { path: dir, remove } = tempDir();
  temps.push(remove);
  mkdirSync(dir, { recursive: true });
  // Spacing JSON.stringify would not write: only a line passed on as it is keeps it.
  const spaced = JSON.stringify(event(1), null, 1).replace(/\n/g, '');
  writeFileSync(join(dir, segmentName(1)), `${spaced}\n${JSON.stringify(event(2))}\n`);
  const store = await openTestStore(dir, { ringSize: 1 });
  try {
    const page = await store.readBeforeJson(3, 10);
    assert.deepEqual(
      page.map((item) => item.json),
      [spaced, JSON.stringify(event(2))],
    );
  } finally {
    await store.close();
  }
});

test('a segment replaced on disk after recovery is read line by line again: a broken line is skipped', async () => {
  const { path: dir, remove } = tempDir();
  temps.push(remove);
  mkdirSync(dir, { recursive: true });
  const lines = [1, 2, 3].map((seq) => JSON.stringify(event(seq)));
  const file = join(dir, segmentName(1));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const store = await openTestStore(dir, { ringSize: 1 });
  try {
    // Same length, so the index still points at line starts; seq first and `}` last, but not JSON.
    const broken = lines[1]!.replace('"type":', '#type":');
    writeFileSync(`${file}.new`, `${[lines[0], broken, lines[2]].join('\n')}\n`);
    renameSync(`${file}.new`, file);
    const page = await store.readBeforeJson(4, 10);
    assert.deepEqual(
      page.map((item) => item.seq),
      [1, 3],
    );
    assert.deepEqual(
      page.map((item) => item.json),
      [lines[0], lines[2]],
    );
  } finally {
    await store.close();
  }
});

test('`mpm-mon events` on a journal with `{"seq":1}`-style lines shows the good events and exits 0', async () => {
  const h = home();
  damagedSegment(join(h.path, 'journal'));
  const daemon = await startDaemon(h);
  try {
    const plain = runCli(h, ['events', '--since', '0']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout.trim().split('\n').length, 3, plain.stdout);
    const json = runCli(h, ['events', '--since', '0', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const seqs = json.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as MonEvent).seq);
    assert.deepEqual(seqs, [1, 3, 5]);
  } finally {
    await daemon.stop();
  }
});

test('a journal whose seq approaches Number.MAX_SAFE_INTEGER is refused with a clear error', async () => {
  const { path: dir, remove } = tempDir();
  temps.push(remove);
  mkdirSync(dir, { recursive: true });
  const near = SEQ_LIMIT + 1;
  writeFileSync(join(dir, segmentName(near)), `${JSON.stringify(event(near))}\n`);
  await assert.rejects(openTestStore(dir), (error: unknown) => {
    assert.ok(error instanceof JournalError);
    assert.equal(error.code, 'JOURNAL_SEQ_EXHAUSTED');
    assert.match(error.message, new RegExp(`reached seq ${near}`));
    assert.match(error.message, /exact integers/);
    return true;
  });
});

test('appends stop at the limit instead of handing out an inexact seq', async () => {
  const { path: dir, remove } = tempDir();
  temps.push(remove);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, segmentName(SEQ_LIMIT - 1)), `${JSON.stringify(event(SEQ_LIMIT - 1))}\n`);
  const store = await openTestStore(dir);
  try {
    const [stored] = await store.append([draft(1)]);
    assert.equal(stored!.seq, SEQ_LIMIT);
    await assert.rejects(store.append([draft(2)]), /would no longer be exact integers/);
  } finally {
    await store.close();
  }
});
