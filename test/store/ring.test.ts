import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { EventRing } from '../../source/store/ring.js';
import { seqsOf, storedEvent } from '../helpers/events.js';

function filled(capacity: number, seqs: number[]): EventRing {
  const ring = new EventRing(capacity);
  for (const seq of seqs) ring.push(storedEvent(seq));
  return ring;
}

describe('event ring', () => {
  test('holds the newest events and moves its floor as it evicts', () => {
    const ring = filled(3, [1, 2, 3, 4, 5]);
    assert.equal(ring.size, 3);
    assert.equal(ring.floor, 2);
    assert.equal(ring.oldestSeq, 3);
    assert.equal(ring.newestSeq, 5);
    assert.deepEqual(seqsOf(ring.toArray()), [3, 4, 5]);
  });

  test('since answers only when it reaches back far enough', () => {
    const ring = filled(3, [1, 2, 3, 4, 5]);
    assert.equal(ring.since(1, 10), null);
    assert.deepEqual(seqsOf(ring.since(2, 10)!), [3, 4, 5]);
    assert.deepEqual(seqsOf(ring.since(3, 1)!), [4]);
    assert.deepEqual(ring.since(5, 10), []);
    assert.deepEqual(ring.since(99, 10), []);
    assert.deepEqual(seqsOf(ring.after(0, 10)), [3, 4, 5]);
  });

  test('handles gaps left by burned seqs', () => {
    const ring = filled(4, [2, 5, 6, 9, 12]);
    assert.equal(ring.floor, 2);
    assert.deepEqual(seqsOf(ring.since(3, 10)!), [5, 6, 9, 12]);
    assert.deepEqual(seqsOf(ring.since(7, 10)!), [9, 12]);
    assert.deepEqual(seqsOf(ring.before(9, 10)), [5, 6]);
    assert.deepEqual(seqsOf(ring.before(10, 2)), [6, 9]);
  });

  test('before returns the newest matches in seq order', () => {
    const ring = filled(10, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(seqsOf(ring.before(6, 2)), [4, 5]);
    assert.deepEqual(seqsOf(ring.before(100, 3, (e) => e.seq % 2 === 1)), [3, 5, 7]);
    assert.deepEqual(ring.before(1, 3), []);
  });

  test('refuses seqs that do not ascend, and bad capacities', () => {
    const ring = filled(3, [1, 2]);
    assert.throws(() => ring.push(storedEvent(2)), /ascend/);
    assert.throws(() => new EventRing(-1), /capacity/);
    assert.throws(() => new EventRing(1.5), /capacity/);
  });

  test('capacity 0 holds nothing and never claims to cover the past', () => {
    const ring = filled(0, [1, 2, 3]);
    assert.equal(ring.size, 0);
    assert.equal(ring.floor, 3);
    assert.equal(ring.since(2, 10), null);
    assert.deepEqual(ring.since(3, 10), []);
  });

  test('restore refills an empty ring above a floor', () => {
    const ring = new EventRing(5);
    ring.restore([storedEvent(8), storedEvent(9)], 7);
    assert.equal(ring.floor, 7);
    assert.equal(ring.since(6, 10), null);
    assert.deepEqual(seqsOf(ring.since(7, 10)!), [8, 9]);
    assert.throws(() => ring.restore([storedEvent(10)], 9), /empty/);
  });

  test('matches a plain array model for any ascending seqs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 20 }),
        (capacity, steps, probe, limit) => {
          const seqs: number[] = [];
          let seq = 0;
          for (const step of steps) seqs.push((seq += step));
          const ring = filled(capacity, seqs);
          const held = capacity === 0 ? [] : seqs.slice(-capacity);
          const floor = seqs.length > held.length ? seqs[seqs.length - held.length - 1]! : 0;
          assert.equal(ring.floor, floor);
          assert.deepEqual(seqsOf(ring.toArray()), held);
          const expectedSince = probe >= floor ? held.filter((s) => s > probe).slice(0, limit) : null;
          const since = ring.since(probe, limit);
          assert.deepEqual(since && seqsOf(since), expectedSince);
          const below = held.filter((s) => s < probe);
          assert.deepEqual(seqsOf(ring.before(probe, limit)), limit === 0 ? [] : below.slice(-limit));
        },
      ),
    );
  });
});
