import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { segmentName } from '../../source/store/segments.js';
import { openTestStore } from './helpers.js';
import { draft, drafts, range, seqsOf } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';
import { recordingLogger } from '../helpers/recording-logger.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

function line(seq: number): string {
  return JSON.stringify({ seq, ...draft(seq) });
}

function warningsAbout(logger: ReturnType<typeof recordingLogger>, file: string) {
  return logger.entries.filter((entry) => entry.level === 'warn' && entry.fields?.file === file);
}

describe('recovery: a torn last line (killed mid-write)', () => {
  test('is skipped, counted and logged with its line number; the next append starts on a fresh line', async () => {
    const first = await openTestStore(temp.path);
    await first.append(drafts(1, 3));
    await first.close();
    const file = join(temp.path, segmentName(1));
    const whole = line(4);
    appendFileSync(file, whole.slice(0, whole.length / 2));

    const logger = recordingLogger();
    const second = await openTestStore(temp.path, { logger });
    try {
      assert.equal(second.lastSeq, 3);
      assert.equal(second.stats().corruptLines, 1);
      const warnings = warningsAbout(logger, file);
      assert.equal(warnings.length, 1);
      assert.deepEqual(warnings[0]!.fields.lines, [4]);
      assert.equal(warnings[0]!.fields.count, 1);

      const [appended] = await second.append([draft(40)]);
      assert.equal(appended!.seq, 4);
      assert.deepEqual(await second.readSince(3, 10), [appended]);
      assert.deepEqual(seqsOf(await second.readSince(0, 10)), [1, 2, 3, 4]);
    } finally {
      await second.close();
    }

    // The torn fragment now sits on its own line; the new event is intact after it.
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[3], whole.slice(0, whole.length / 2));
    assert.deepEqual(JSON.parse(lines[4]!), { seq: 4, ...draft(40) });

    const third = await openTestStore(temp.path, { ringSize: 0 });
    try {
      assert.equal(third.lastSeq, 4);
      assert.equal(third.stats().corruptLines, 1);
      assert.deepEqual(seqsOf(await third.readSince(0, 10)), [1, 2, 3, 4]);
      assert.deepEqual((await third.readSince(3, 1))[0], { seq: 4, ...draft(40) });
    } finally {
      await third.close();
    }
  });

  test('a last line that is complete but lost only its newline is kept', async () => {
    writeFileSync(join(temp.path, segmentName(1)), `${line(1)}\n${line(2)}`);
    const store = await openTestStore(temp.path);
    try {
      assert.equal(store.lastSeq, 2);
      assert.equal(store.stats().corruptLines, 0);
      await store.append([draft(3)]);
    } finally {
      await store.close();
    }
    const reopened = await openTestStore(temp.path, { ringSize: 0 });
    try {
      assert.deepEqual(seqsOf(await reopened.readSince(0, 10)), [1, 2, 3]);
      assert.equal(reopened.stats().corruptLines, 0);
    } finally {
      await reopened.close();
    }
  });
});

describe('recovery: damaged content', () => {
  test('garbage lines in the middle are skipped and counted, never fatal', async () => {
    const file = join(temp.path, segmentName(1));
    writeFileSync(
      file,
      [
        line(1),
        'not json at all',
        line(2),
        '{"seq":"3","id":"string seq"}',
        '{"seq":-4}',
        '{"seq":2.5}',
        '[1,2,3]',
        'null',
        '',
        '{"id":"no seq"}',
        line(3),
        '\u0000\u0000\u0000',
        line(4),
        '',
      ].join('\n'),
    );
    const logger = recordingLogger();
    const store = await openTestStore(temp.path, { logger, ringSize: 2 });
    try {
      assert.equal(store.stats().corruptLines, 8);
      assert.deepEqual(warningsAbout(logger, file)[0]!.fields.lines, [2, 4, 5, 6, 7, 8, 10, 12]);
      assert.equal(store.lastSeq, 4);
      assert.deepEqual(seqsOf(await store.readSince(0, 10)), [1, 2, 3, 4]);
      assert.deepEqual(seqsOf(await store.append([draft(5)])), [5]);
      assert.deepEqual(seqsOf(await store.readBefore(6, 10)), [1, 2, 3, 4, 5]);
    } finally {
      await store.close();
    }
  });

  test('seqs out of order or duplicated are read back once each, ascending', async () => {
    const duplicateOfThree = JSON.stringify({ seq: 3, ...draft(33) });
    writeFileSync(
      join(temp.path, segmentName(1)),
      [line(1), line(2), line(5), line(3), duplicateOfThree, line(4), line(2)].join('\n') + '\n',
    );
    for (const ringSize of [0, 2, 100]) {
      const store = await openTestStore(temp.path, { ringSize });
      try {
        assert.equal(store.lastSeq, 5, `ringSize ${ringSize}`);
        const all = await store.readSince(0, 10);
        assert.deepEqual(seqsOf(all), [1, 2, 3, 4, 5], `ringSize ${ringSize}`);
        assert.equal(all[2]!.id, draft(3).id, 'the first copy of a duplicated seq wins');
        assert.deepEqual(seqsOf(await store.readSince(1, 2)), [2, 3]);
        assert.deepEqual(seqsOf(await store.readBefore(5, 2)), [3, 4]);
        assert.deepEqual(seqsOf(await store.readBefore(6, 10)), [1, 2, 3, 4, 5]);
      } finally {
        await store.close();
      }
    }
  });

  test('an empty last segment does not make seqs reuse its name', async () => {
    writeFileSync(join(temp.path, segmentName(1)), `${line(1)}\n${line(2)}\n`);
    writeFileSync(join(temp.path, segmentName(10)), '');
    const store = await openTestStore(temp.path);
    try {
      assert.ok(store.lastSeq >= 10, `lastSeq ${store.lastSeq}`);
      const [next] = await store.append([draft(99)]);
      assert.ok(next!.seq > 10);
      assert.deepEqual(seqsOf(await store.readSince(0, 10)), [1, 2, next!.seq]);
    } finally {
      await store.close();
    }
  });

  test('a wholly corrupt last segment does not make seqs reuse', async () => {
    writeFileSync(join(temp.path, segmentName(1)), `${line(1)}\n${line(2)}\n`);
    writeFileSync(join(temp.path, segmentName(7)), 'garbage\n{"seq":\n\u00ff\u00fe torn');
    const store = await openTestStore(temp.path);
    try {
      assert.equal(store.stats().corruptLines, 3);
      assert.ok(store.lastSeq >= 7, `lastSeq ${store.lastSeq}`);
      const [next] = await store.append([draft(99)]);
      assert.ok(next!.seq > 7);
    } finally {
      await store.close();
    }
    const reopened = await openTestStore(temp.path, { ringSize: 0 });
    try {
      const all = await reopened.readSince(0, 10);
      assert.equal(all.length, 3);
      assert.equal(all[2]!.id, draft(99).id);
    } finally {
      await reopened.close();
    }
  });

  test('files that are not segments are left alone', async () => {
    writeFileSync(join(temp.path, 'README.txt'), 'hello');
    writeFileSync(join(temp.path, '12.ndjson'), `${line(12)}\n`);
    const store = await openTestStore(temp.path);
    try {
      assert.equal(store.lastSeq, 0);
      assert.equal(store.stats().segments, 0);
      assert.deepEqual(seqsOf(await store.append([draft(1)])), [1]);
    } finally {
      await store.close();
    }
    assert.equal(readFileSync(join(temp.path, 'README.txt'), 'utf8'), 'hello');
  });

  test('the ring is refilled with the newest events across many segments', async () => {
    const first = await openTestStore(temp.path, { segmentBytes: 600 });
    for (let n = 1; n <= 40; n += 1) await first.append([draft(n)]);
    const segments = first.stats().segments;
    await first.close();
    assert.ok(segments > 5, `segments ${segments}`);

    const second = await openTestStore(temp.path, { segmentBytes: 600, ringSize: 7 });
    try {
      assert.equal(second.stats().ringEvents, 7);
      assert.equal(second.lastSeq, 40);
      assert.deepEqual(seqsOf(await second.readSince(33, 100)), range(34, 40));
      assert.deepEqual(seqsOf(await second.readSince(0, 100)), range(1, 40));
      assert.deepEqual(seqsOf(await second.readBefore(20, 3)), [17, 18, 19]);
    } finally {
      await second.close();
    }
  });
});
