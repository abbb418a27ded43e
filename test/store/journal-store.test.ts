import assert from 'node:assert/strict';
import { readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { isJournalError } from '../../source/errors/journal-error.js';
import { segmentName } from '../../source/store/segments.js';
import { openTestStore } from './helpers.js';
import { draft, drafts, range, seqsOf } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

describe('journal store: append and read back', () => {
  test('numbers drafts from 1 and reads them back, from memory and from the file', async () => {
    const store = await openTestStore(temp.path);
    try {
      assert.equal(store.lastSeq, 0);
      const stored = await store.append(drafts(1, 3));
      assert.deepEqual(seqsOf(stored), [1, 2, 3]);
      assert.deepEqual(stored[0], { seq: 1, ...draft(1) });
      assert.deepEqual(await store.readSince(0, 10), stored);
      assert.deepEqual(await store.readSince(1, 1), [stored[1]]);
      assert.deepEqual(await store.readSince(3, 10), []);

      const lines = readFileSync(join(temp.path, segmentName(1)), 'utf8').split('\n');
      assert.equal(lines.at(-1), '', 'every line ends with a newline');
      assert.deepEqual(
        lines.slice(0, -1).map((line): unknown => JSON.parse(line)),
        stored,
      );
      const stats = store.stats();
      assert.equal(stats.lastSeq, 3);
      assert.equal(stats.firstSeq, 1);
      assert.equal(stats.segments, 1);
      assert.equal(stats.bytes, Buffer.byteLength(lines.join('\n')));
      assert.equal(stats.writable, true);
      assert.equal(stats.writeErrors, 0);
    } finally {
      await store.close();
    }
  });

  test('numbers synchronously in call order, before any write completes', async () => {
    const store = await openTestStore(temp.path);
    try {
      const first = store.append(drafts(1, 2));
      assert.equal(store.lastSeq, 2);
      const second = store.append([draft(3)]);
      assert.equal(store.lastSeq, 3);
      assert.deepEqual(seqsOf(await second), [3]);
      assert.deepEqual(seqsOf(await first), [1, 2]);
    } finally {
      await store.close();
    }
  });

  test('stores only the event fields, seq first', async () => {
    const store = await openTestStore(temp.path);
    try {
      const withExtra = { ...draft(1), seq: 999, secretExtra: 'x' } as unknown as ReturnType<typeof draft>;
      const [stored] = await store.append([withExtra]);
      assert.equal(stored!.seq, 1);
      assert.equal('secretExtra' in stored!, false);
      const line = readFileSync(join(temp.path, segmentName(1)), 'utf8');
      assert.ok(line.startsWith('{"seq":1,'), line);
      assert.ok(!line.includes('secretExtra'));
    } finally {
      await store.close();
    }
  });

  test('an empty append stores nothing and burns no seq', async () => {
    const store = await openTestStore(temp.path);
    try {
      assert.deepEqual(await store.append([]), []);
      assert.equal(store.lastSeq, 0);
      assert.deepEqual(seqsOf(await store.append([draft(1)])), [1]);
    } finally {
      await store.close();
    }
  });

  test('close flushes appends still in flight; appending after close is refused', async () => {
    const store = await openTestStore(temp.path);
    const pending = store.append(drafts(1, 5));
    await store.close();
    assert.deepEqual(seqsOf(await pending), range(1, 5));
    await assert.rejects(store.append([draft(6)]), (error: unknown) => {
      assert.ok(isJournalError(error));
      assert.equal(error.code, 'JOURNAL_CLOSED');
      return true;
    });
    const reopened = await openTestStore(temp.path);
    try {
      assert.deepEqual(seqsOf(await reopened.readSince(0, 100)), range(1, 5));
    } finally {
      await reopened.close();
    }
  });
});

describe('journal store: restart', () => {
  test('keeps lastSeq and contents; the next seq continues', async () => {
    const first = await openTestStore(temp.path);
    const stored = [...(await first.append(drafts(1, 4))), ...(await first.append([draft(5)]))];
    await first.close();

    const second = await openTestStore(temp.path);
    try {
      assert.equal(second.lastSeq, 5);
      assert.deepEqual(await second.readSince(0, 100), stored);
      assert.deepEqual(seqsOf(await second.append([draft(6)])), [6]);
      assert.equal(second.stats().corruptLines, 0);
    } finally {
      await second.close();
    }
    const third = await openTestStore(temp.path, { ringSize: 2 });
    try {
      assert.equal(third.lastSeq, 6);
      assert.deepEqual(seqsOf(await third.readSince(0, 100)), range(1, 6));
      assert.equal(third.stats().ringEvents, 2);
    } finally {
      await third.close();
    }
  });
});

describe('journal store: reads beyond the ring', () => {
  test('readSince falls back to the journal when the ring does not reach back', async () => {
    const store = await openTestStore(temp.path, { ringSize: 10 });
    try {
      for (let n = 1; n <= 50; n += 7) await store.append(drafts(n, 7));
      assert.equal(store.lastSeq, 56);
      assert.equal(store.stats().ringEvents, 10);
      // 6..46 are no longer in memory: they must come from the file.
      assert.deepEqual(seqsOf(await store.readSince(5, 1000)), range(6, 56));
      assert.deepEqual(seqsOf(await store.readSince(5, 3)), [6, 7, 8]);
      assert.deepEqual(seqsOf(await store.readSince(0, 2)), [1, 2]);
      assert.deepEqual(seqsOf(await store.readSince(50, 100)), range(51, 56));
      const fromDisk = await store.readSince(0, 1);
      assert.deepEqual(fromDisk[0], { seq: 1, ...draft(1) });
    } finally {
      await store.close();
    }
  });

  test('readBefore returns the newest matching events in seq order, across ring and journal', async () => {
    const store = await openTestStore(temp.path, { ringSize: 5 });
    try {
      await store.append(drafts(1, 30));
      assert.deepEqual(seqsOf(await store.readBefore(31, 3)), [28, 29, 30]);
      assert.deepEqual(seqsOf(await store.readBefore(20, 4)), [16, 17, 18, 19]);
      assert.deepEqual(seqsOf(await store.readBefore(28, 6)), range(22, 27));
      assert.deepEqual(seqsOf(await store.readBefore(3, 10)), [1, 2]);
      assert.deepEqual(await store.readBefore(1, 10), []);
      const sessionOne = (event: { sessionId: string }): boolean => event.sessionId === 'session-1';
      // draft n has session n % 3: session-1 holds 1, 4, 7, …, 28.
      assert.deepEqual(seqsOf(await store.readBefore(31, 4, sessionOne)), [19, 22, 25, 28]);
      assert.deepEqual(
        seqsOf(await store.readBefore(Number.MAX_SAFE_INTEGER, 100, sessionOne)),
        range(0, 9).map((k) => 3 * k + 1),
      );
    } finally {
      await store.close();
    }
  });

  test('readBeforeJson reads across ring and journal like readBefore', async () => {
    const store = await openTestStore(temp.path, { ringSize: 5 });
    try {
      await store.append(drafts(1, 30));
      const page = await store.readBeforeJson(31, 8);
      assert.deepEqual(
        page.map((item) => item.seq),
        range(23, 30),
      );
      assert.deepEqual(
        page.map((item) => JSON.parse(item.json) as unknown),
        await store.readBefore(31, 8),
      );
    } finally {
      await store.close();
    }
  });

  test('readBeforeJson serializes a long page from the ring a slice at a time, other work between', async () => {
    const store = await openTestStore(temp.path, { ringSize: 2000 });
    try {
      await store.append(drafts(1, 2000));
      let turns = 0;
      let reading = true;
      const turn = (): void => {
        turns++;
        if (reading) setImmediate(turn);
      };
      setImmediate(turn);
      const page = store.readBeforeJson(2001, 2000);
      // Nothing of it ran synchronously in one go: the other callback has had turns between slices.
      const seqs = (await page).map((item) => item.seq);
      reading = false;
      assert.deepEqual(seqs, range(1, 2000));
      assert.ok(turns >= 9, `the other work ran ${turns} times while 2,000 events were serialized`);
    } finally {
      await store.close();
    }
  });

  test('reads with a zero limit return nothing', async () => {
    const store = await openTestStore(temp.path, { ringSize: 1 });
    try {
      await store.append(drafts(1, 3));
      assert.deepEqual(await store.readSince(0, 0), []);
      assert.deepEqual(await store.readBefore(4, 0), []);
    } finally {
      await store.close();
    }
  });

  test('works with a ring of size 0 (every read from the journal)', async () => {
    const store = await openTestStore(temp.path, { ringSize: 0 });
    try {
      await store.append(drafts(1, 4));
      assert.deepEqual(seqsOf(await store.readSince(1, 10)), [2, 3, 4]);
      assert.deepEqual(seqsOf(await store.readBefore(4, 2)), [2, 3]);
      assert.equal(store.stats().firstSeq, 1);
    } finally {
      await store.close();
    }
  });
});

describe('journal store: bad options and directories', () => {
  test('a directory path that is a file is refused with a journal error', async () => {
    const file = join(temp.path, 'not-a-dir');
    writeFileSync(file, 'x');
    await assert.rejects(openTestStore(join(file, 'journal')), (error: unknown) => {
      assert.ok(isJournalError(error));
      assert.equal(error.code, 'JOURNAL_UNWRITABLE');
      assert.equal(error.context.dir, join(file, 'journal'));
      assert.ok(error.context.errno);
      return true;
    });
    assert.deepEqual(readdirSync(temp.path), ['not-a-dir']);
  });

  test('nonsensical sizes are refused with the option name and value', async () => {
    await assert.rejects(openTestStore(temp.path, { ringSize: -1 }), /ringSize.*-1/);
    await assert.rejects(openTestStore(temp.path, { segmentBytes: 0 }), /segmentBytes.*0/);
    await assert.rejects(openTestStore(temp.path, { maxBytes: Number.NaN }), /maxBytes.*NaN/);
  });
});

describe('journal store: bad read arguments', () => {
  test('are refused with the argument and the value', async () => {
    const store = await openTestStore(temp.path);
    try {
      await assert.rejects(
        store.readSince(Number.NaN, 10),
        /readSince: since must be a seq number >= 0, got NaN/,
      );
      await assert.rejects(store.readSince(-1, 10), /since.*-1/);
      await assert.rejects(store.readSince(0, -1), /readSince: limit must be an integer >= 0, got -1/);
      await assert.rejects(store.readSince(0, 1.5), /limit.*1\.5/);
      await assert.rejects(store.readBefore(0, 10), /readBefore: before must be a seq number >= 1, got 0/);
      await assert.rejects(store.readBefore(5, Number.POSITIVE_INFINITY), /limit.*Infinity/);
      assert.deepEqual(await store.readBefore(Number.POSITIVE_INFINITY, 10), []);
    } finally {
      await store.close();
    }
  });
});

describe('journal store: the directory removed while running', () => {
  test('is recreated at the next new segment', async () => {
    const store = await openTestStore(temp.path, { segmentBytes: 1 });
    try {
      await store.append([draft(1)]);
      temp.remove();
      const [event] = await store.append([draft(2)]);
      assert.equal(event!.seq, 2);
      assert.deepEqual(readdirSync(temp.path), [segmentName(2)]);
      assert.deepEqual(
        seqsOf(await store.readSince(0, 10)),
        [1, 2],
        'the deleted segment is still served from memory',
      );
    } finally {
      await store.close();
    }
  });
});

describe('journal store: the active segment removed or replaced while running', () => {
  test('the next append starts a new segment instead of writing into the lost file', async () => {
    const store = await openTestStore(temp.path);
    try {
      await store.append([draft(1)]);
      unlinkSync(join(temp.path, segmentName(1)));
      await store.append([draft(2)]);
      writeFileSync(join(temp.path, segmentName(1)), 'not ours\n');
      await store.append([draft(3)]);
    } finally {
      await store.close();
    }
    const reopened = await openTestStore(temp.path);
    try {
      assert.deepEqual(
        seqsOf(await reopened.readSince(1, 10)),
        [2, 3],
        'what was acknowledged after the loss is on disk',
      );
    } finally {
      await reopened.close();
    }
  });
});

describe('journal store: reads while writing', () => {
  test('journal reads during appends see only whole events, ascending, never ahead of the acks', async () => {
    const store = await openTestStore(temp.path, { ringSize: 0, segmentBytes: 4000 });
    try {
      const acked = new Set<number>();
      const produce = async (): Promise<void> => {
        const appends: Promise<void>[] = [];
        for (let n = 1; n <= 300; n += 1) {
          appends.push(
            store.append([draft(n)]).then(([event]) => {
              acked.add(event!.seq);
            }),
          );
          if (n % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        await Promise.all(appends);
      };
      let finished = false;
      const producing = produce().finally(() => {
        finished = true;
      });
      const sizesSeen = new Set<number>();
      while (!finished) {
        const seen = seqsOf(await store.readSince(0, 1000));
        sizesSeen.add(seen.length);
        assert.deepEqual(seen, range(1, seen.length), 'a gap-free prefix');
        for (const seq of seen) assert.ok(acked.has(seq), `read ${seq} before it was acknowledged`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await producing;
      assert.ok(sizesSeen.size > 1, `reads overlapped the writes (${[...sizesSeen].join(', ')})`);
      assert.deepEqual(seqsOf(await store.readSince(0, 1000)), range(1, 300));
    } finally {
      await store.close();
    }
  });

  test('a draft that cannot be serialized is refused alone; its seq is burned', async () => {
    const store = await openTestStore(temp.path);
    try {
      const bad = draft(1, { data: { big: 1n } as unknown as Record<string, unknown> });
      const good = store.append([draft(2)]);
      await assert.rejects(store.append([bad]), /BigInt/);
      assert.deepEqual(seqsOf(await good), [1]);
      assert.deepEqual(seqsOf(await store.append([draft(3)])), [3]);
      assert.deepEqual(seqsOf(await store.readSince(0, 10)), [1, 3]);
    } finally {
      await store.close();
    }
  });
});
