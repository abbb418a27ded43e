import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { leadingSeq, SeqIndex } from '../../source/store/seq-index.js';
import { serializeEvent } from '../../source/store/event-line.js';
import { openTestStore } from './helpers.js';
import { draft, drafts, range, seqsOf } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';

describe('SeqIndex', () => {
  test('points a read at the last indexed line at or below since + 1', () => {
    const index = new SeqIndex(100);
    // One line of 40 bytes per seq: an entry every third line (offsets 0, 120, 240, …).
    for (let seq = 1; seq <= 30; seq++) index.add(seq, (seq - 1) * 40);
    assert.equal(index.entries, 10);
    assert.equal(index.startFor(0), 0);
    assert.equal(index.startFor(3), 120, 'seq 4 is the entry at 120');
    assert.equal(index.startFor(5), 120);
    assert.equal(index.startFor(6), 240);
    assert.equal(index.startFor(1000), 1080);
    assert.ok(index.inOrder);
  });

  test('a read of the seqs below `before` may stop at the first entry at or above it', () => {
    const index = new SeqIndex(100);
    for (let seq = 1; seq <= 30; seq++) index.add(seq, (seq - 1) * 40);
    assert.equal(index.endFor(1, 1200), 0, 'nothing lies below seq 1');
    assert.equal(index.endFor(4, 1200), 120, 'seq 4 starts at 120');
    assert.equal(index.endFor(5, 1200), 240, 'seq 5 lies before the next entry (seq 7 at 240)');
    assert.equal(index.endFor(28, 1200), 1080);
    assert.equal(index.endFor(29, 1200), 1200, 'past the last entry: the end of the segment');
  });

  test('a segment whose seqs go backwards is read from the top', () => {
    const index = new SeqIndex(10);
    for (const [seq, offset] of [
      [1, 0],
      [5, 50],
      [3, 100],
    ] as const)
      index.add(seq, offset);
    assert.equal(index.inOrder, false);
    assert.equal(index.startFor(4), 0);
    assert.equal(index.endFor(4, 150), 150, 'and to the end');
  });

  test('leadingSeq reads the seq the journal writes first, and nothing else', () => {
    assert.equal(leadingSeq(serializeEvent({ seq: 42, ...draft(1) })), 42);
    assert.equal(leadingSeq('{"id":"x","seq":3}'), null);
    assert.equal(leadingSeq('garbage'), null);
  });
});

describe('journal reads by the index', () => {
  test('every page from any seq is exact, in segments indexed at write time and at recovery', async () => {
    const temp = tempDir();
    try {
      // No ring: every read goes to disk; small segments and a small stride make many entries.
      const options = { ringSize: 0, segmentBytes: 200 * 1024 };
      let store = await openTestStore(temp.path, options);
      for (let n = 1; n <= 6000; n += 500) await store.append(drafts(n, 500));
      const check = async (): Promise<void> => {
        for (const since of [0, 1, 499, 500, 501, 1234, 2999, 3000, 4444, 5998, 5999, 6000]) {
          const page = await store.readSince(since, 700);
          const want = range(since + 1, Math.min(6000, since + 700));
          assert.deepEqual(seqsOf(page), want, `since ${since}`);
        }
      };
      // Backwards, as `events` and the TUI page: with no filter, a filter that takes every seventh
      // event (the windows widen), and one that takes none.
      const seventh = (event: { seq: number }): boolean => event.seq % 7 === 0;
      const checkBefore = async (): Promise<void> => {
        for (const before of [1, 2, 500, 501, 502, 1235, 3000, 3001, 5999, 6001, 9000]) {
          const top = Math.min(before - 1, 6000);
          assert.deepEqual(seqsOf(await store.readBefore(before, 700)), range(Math.max(1, top - 699), top));
          const wanted = range(1, top)
            .filter((seq) => seq % 7 === 0)
            .slice(-90);
          assert.deepEqual(
            seqsOf(await store.readBefore(before, 90, seventh)),
            wanted,
            `before ${before}, 1 in 7`,
          );
          assert.deepEqual(await store.readBefore(before, 10, () => false), []);
        }
      };
      await check();
      await checkBefore();
      await store.close();
      store = await openTestStore(temp.path, options);
      assert.ok(store.stats().segments > 3, `segments ${store.stats().segments}`);
      await check();
      await checkBefore();
      await store.close();
    } finally {
      temp.remove();
    }
  });
});
