import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  parseSegmentName,
  segmentBases,
  segmentIndexFor,
  segmentName,
  segmentsToDrop,
} from '../../source/store/segments.js';

describe('segment names', () => {
  test('are the first seq, 20 digits zero-padded, and parse back', () => {
    assert.equal(segmentName(1), '00000000000000000001.ndjson');
    assert.equal(segmentName(Number.MAX_SAFE_INTEGER), '00009007199254740991.ndjson');
    for (const seq of [1, 42, 1_000_000, Number.MAX_SAFE_INTEGER])
      assert.equal(parseSegmentName(segmentName(seq)), seq);
  });

  test('anything else is not a segment', () => {
    for (const name of [
      '1.ndjson',
      '00000000000000000001.json',
      '00000000000000000000.ndjson',
      'x.ndjson',
      '99999999999999999999.ndjson',
      '00000000000000000001.ndjson.tmp',
    ]) {
      assert.equal(parseSegmentName(name), null, name);
    }
    assert.throws(() => segmentName(0), /positive/);
    assert.throws(() => segmentName(1.5), /positive/);
  });

  test('are sorted by seq, ignoring other files', () => {
    assert.deepEqual(
      segmentBases([segmentName(30), 'notes.txt', segmentName(2), segmentName(11)]),
      [2, 11, 30],
    );
  });
});

describe('picking the segment to read from', () => {
  const bases = [1, 10, 20];
  test('is the last one whose base is at most since + 1', () => {
    assert.equal(segmentIndexFor(bases, 0), 0);
    assert.equal(segmentIndexFor(bases, 8), 0);
    assert.equal(segmentIndexFor(bases, 9), 1);
    assert.equal(segmentIndexFor(bases, 19), 2);
    assert.equal(segmentIndexFor(bases, 1000), 2);
    assert.equal(segmentIndexFor([5, 9], 0), 0, 'retention removed the start: read from the oldest');
    assert.equal(segmentIndexFor([], 3), -1);
  });
});

describe('retention', () => {
  test('drops the oldest segments until the total fits, never the newest', () => {
    assert.equal(segmentsToDrop([100, 100, 100], 300), 0);
    assert.equal(segmentsToDrop([100, 100, 100], 299), 1);
    assert.equal(segmentsToDrop([100, 100, 100], 100), 2);
    assert.equal(segmentsToDrop([100, 100, 500], 100), 2);
    assert.equal(segmentsToDrop([500], 100), 0);
    assert.equal(segmentsToDrop([], 100), 0);
  });
});
