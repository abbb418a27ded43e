import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { GroupCommit } from '../../source/store/group-commit.js';
import { openTestStore } from './helpers.js';
import { waitFor } from '../helpers/wait.js';
import { draft, range, seqsOf } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A writer whose batches finish only when the test says so. */
function controlledWriter() {
  const batches: number[][] = [];
  const gates: ReturnType<typeof deferred>[] = [];
  const write = (items: number[]): Promise<void> => {
    batches.push(items);
    const gate = deferred();
    gates.push(gate);
    return gate.promise;
  };
  return { batches, gates, write };
}

describe('group commit', () => {
  test('submissions made while a batch is in flight go out together in the next one', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.write);
    const first = commit.submit([1]);
    await waitFor(() => writer.batches.length === 1, 'the first batch');
    const later = [commit.submit([2, 3]), commit.submit([4]), commit.submit([5])];
    assert.equal(writer.batches.length, 1, 'nothing else starts while a batch is in flight');
    writer.gates[0]!.resolve();
    await first;
    await waitFor(() => writer.batches.length === 2, 'the second batch');
    assert.deepEqual(writer.batches, [[1], [2, 3, 4, 5]]);
    writer.gates[1]!.resolve();
    await Promise.all(later);
    assert.equal(commit.batches, 2);
    await commit.idle();
  });

  test('submissions in the same tick share the first batch', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.write);
    const all = [commit.submit([1]), commit.submit([2]), commit.submit([3])];
    await waitFor(() => writer.batches.length === 1, 'the first batch');
    assert.deepEqual(writer.batches[0], [1, 2, 3]);
    writer.gates[0]!.resolve();
    await Promise.all(all);
  });

  test('a failed batch rejects each submission in it; the next batch still runs', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.write);
    const failing = [commit.submit([1]), commit.submit([2])];
    await waitFor(() => writer.batches.length === 1, 'the first batch');
    const next = commit.submit([3]);
    const boom = new Error('boom');
    writer.gates[0]!.reject(boom);
    for (const submission of failing) await assert.rejects(submission, (error) => error === boom);
    await waitFor(() => writer.batches.length === 2, 'the second batch');
    writer.gates[1]!.resolve();
    await next;
    assert.deepEqual(writer.batches, [[1, 2], [3]]);
  });

  test('idle waits for queued and in-flight batches', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.write);
    void commit.submit([1]);
    let idle = false;
    const waiting = commit.idle().then(() => {
      idle = true;
    });
    await waitFor(() => writer.batches.length === 1, 'the first batch');
    void commit.submit([2]);
    writer.gates[0]!.resolve();
    await waitFor(() => writer.batches.length === 2, 'the second batch');
    assert.equal(idle, false);
    writer.gates[1]!.resolve();
    await waiting;
    assert.equal(idle, true);
  });
});

describe('group commit in the store', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  test('N concurrent appends cost far fewer than N writes', async () => {
    const store = await openTestStore(temp.path);
    try {
      const before = store.stats().writeBatches;
      const appends = range(1, 500).map((n) => store.append([draft(n)]));
      const stored = await Promise.all(appends);
      assert.deepEqual(
        stored.map((events) => events[0]!.seq),
        range(1, 500),
      );
      const writes = store.stats().writeBatches - before;
      assert.ok(writes >= 1 && writes <= 5, `${writes} writes for 500 appends`);
      assert.deepEqual(seqsOf(await store.readSince(0, 1000)), range(1, 500));
    } finally {
      await store.close();
    }
  });
});
