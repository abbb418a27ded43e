import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { parseSegmentName } from '../../source/store/segments.js';
import { openTestStore } from './helpers.js';
import { draft, range, seqsOf } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => parseSegmentName(name) !== null)
    .sort();
}

function seqsInFile(path: string): number[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((text) => text.length > 0)
    .map((text) => (JSON.parse(text) as { seq: number }).seq);
}

describe('rotation and retention', () => {
  test('rotates at segmentBytes; every segment is named by its first seq', async () => {
    const store = await openTestStore(temp.path, { segmentBytes: 1000 });
    try {
      for (let n = 1; n <= 30; n += 1) await store.append([draft(n)]);
      const files = segmentFiles(temp.path);
      assert.ok(files.length >= 5, `segments: ${files.length}`);
      assert.equal(store.stats().segments, files.length);
      const all: number[] = [];
      for (const name of files) {
        const seqs = seqsInFile(join(temp.path, name));
        assert.equal(seqs[0], parseSegmentName(name), name);
        all.push(...seqs);
        // A segment is only rotated once it reached the limit; the last write may overshoot it.
        if (name !== files.at(-1)) assert.ok(statSync(join(temp.path, name)).size >= 1000, name);
      }
      assert.deepEqual(all, range(1, 30));
      assert.deepEqual(seqsOf(await store.readSince(0, 100)), range(1, 30));
    } finally {
      await store.close();
    }
  });

  test('keeps the total under maxBytes by deleting the oldest whole segments; firstSeq follows', async () => {
    const options = { segmentBytes: 1000, maxBytes: 3000, ringSize: 5 };
    const store = await openTestStore(temp.path, options);
    try {
      for (let n = 1; n <= 80; n += 1) {
        await store.append([draft(n)]);
        const onDisk = segmentFiles(temp.path).reduce(
          (sum, name) => sum + statSync(join(temp.path, name)).size,
          0,
        );
        assert.ok(onDisk <= 3000, `after ${n}: ${onDisk} bytes on disk`);
        assert.equal(store.stats().bytes, onDisk);
      }
      const files = segmentFiles(temp.path);
      assert.equal(store.stats().segments, files.length);
      assert.ok(store.stats().segmentsDropped > 0);
      const oldest = seqsInFile(join(temp.path, files[0]!))[0]!;
      assert.ok(oldest > 1);
      assert.equal(store.stats().firstSeq, oldest);
      assert.equal(store.stats().lastSeq, 80);
      assert.deepEqual(seqsOf(await store.readSince(0, 1000)), range(oldest, 80));
      assert.deepEqual(seqsOf(await store.readBefore(oldest + 3, 10)), range(oldest, oldest + 2));
    } finally {
      await store.close();
    }
    const reopened = await openTestStore(temp.path, options);
    try {
      assert.equal(reopened.lastSeq, 80);
      const firstSeq = reopened.stats().firstSeq;
      assert.deepEqual(seqsOf(await reopened.readSince(0, 1000)), range(firstSeq, 80));
      assert.deepEqual(seqsOf(await reopened.append([draft(81)])), [81]);
    } finally {
      await reopened.close();
    }
  });

  test('never deletes the active segment, even when it alone is over maxBytes', async () => {
    const store = await openTestStore(temp.path, { segmentBytes: 100_000, maxBytes: 500 });
    try {
      const big = Array.from({ length: 10 }, (_, index) => draft(index + 1));
      await store.append(big);
      assert.equal(segmentFiles(temp.path).length, 1);
      assert.ok(store.stats().bytes > 500);
      assert.deepEqual(seqsOf(await store.readSince(0, 100)), range(1, 10));
    } finally {
      await store.close();
    }
  });

  test('the ring still serves events whose segment retention already deleted', async () => {
    const store = await openTestStore(temp.path, { segmentBytes: 600, maxBytes: 1200, ringSize: 50 });
    try {
      for (let n = 1; n <= 20; n += 1) await store.append([draft(n)]);
      assert.ok(store.stats().segmentsDropped > 0);
      assert.deepEqual(seqsOf(await store.readSince(0, 100)), range(1, 20));
      assert.equal(store.stats().firstSeq, 1);
    } finally {
      await store.close();
    }
  });
});
