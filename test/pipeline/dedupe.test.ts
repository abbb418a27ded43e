import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Deduper } from '../../source/pipeline/index.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('Deduper', () => {
  test('an id remembered within the window is found with its seq', () => {
    const time = clock();
    const deduper = new Deduper({ windowMs: 60_000, maxEntries: 100, now: time.now });
    assert.equal(deduper.lookup('a'), undefined);
    deduper.remember('a', 7);
    time.advance(59_999);
    assert.equal(deduper.lookup('a'), 7);
    assert.equal(deduper.lookup('b'), undefined);
  });

  test('after the window the id is forgotten', () => {
    const time = clock();
    const deduper = new Deduper({ windowMs: 1000, maxEntries: 100, now: time.now });
    deduper.remember('a', 1);
    time.advance(1000);
    assert.equal(deduper.lookup('a'), undefined);
    assert.equal(deduper.size, 0);
  });

  test('lookups do not extend the window; remembering again does', () => {
    const time = clock();
    const deduper = new Deduper({ windowMs: 1000, maxEntries: 100, now: time.now });
    deduper.remember('a', 1);
    time.advance(600);
    assert.equal(deduper.lookup('a'), 1);
    time.advance(600);
    assert.equal(deduper.lookup('a'), undefined);
    deduper.remember('a', 2);
    time.advance(600);
    deduper.remember('b', 3);
    time.advance(600);
    assert.equal(deduper.lookup('b'), 3);
    assert.equal(deduper.lookup('a'), undefined);
  });

  test('memory stays bounded: the oldest entries go first', () => {
    const time = clock();
    const deduper = new Deduper({ windowMs: 60_000, maxEntries: 3, now: time.now });
    for (let seq = 1; seq <= 10; seq++) {
      deduper.remember(`id-${seq}`, seq);
      time.advance(1);
    }
    assert.equal(deduper.size, 3);
    assert.equal(deduper.lookup('id-7'), undefined);
    assert.deepEqual(
      ['id-8', 'id-9', 'id-10'].map((id) => deduper.lookup(id)),
      [8, 9, 10],
    );
  });

  test('expired entries are dropped as new ones arrive, even below the bound', () => {
    const time = clock();
    const deduper = new Deduper({ windowMs: 100, maxEntries: 1000, now: time.now });
    for (let i = 0; i < 50; i++) deduper.remember(`old-${i}`, i);
    time.advance(100);
    deduper.remember('new', 99);
    assert.equal(deduper.size, 1);
  });

  test('a window of 0 turns deduplication off; bad options are refused', () => {
    const deduper = new Deduper({ windowMs: 0, maxEntries: 10, now: () => 0 });
    deduper.remember('a', 1);
    assert.equal(deduper.lookup('a'), undefined);
    assert.throws(
      () => new Deduper({ windowMs: -1, maxEntries: 10, now: () => 0 }),
      /windowMs must be an integer ≥ 0/,
    );
    assert.throws(
      () => new Deduper({ windowMs: 10, maxEntries: 0, now: () => 0 }),
      /maxEntries must be an integer ≥ 1/,
    );
  });
});
