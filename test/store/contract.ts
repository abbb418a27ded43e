/**
 * What every EventStore does, whatever keeps the events: run by one *.contract.test.ts per
 * implementation, against the real thing (a journal in a temp dir, a redis-server started by the test).
 */
import { strict as assert } from 'node:assert';
import { after, describe, test } from 'node:test';
import type { MonEvent } from '../../source/protocol/event.js';
import type { EventStore } from '../../source/store/types.js';
import { resolveConfig } from '../../source/config/resolve.js';
import { Counters } from '../../source/daemon/counters.js';
import { Ingestor } from '../../source/pipeline/ingest.js';
import { waitFor } from '../helpers/wait.js';
import { drafts, hookPayload, range, seqsOf } from '../helpers/events.js';
import { recordingLogger } from '../helpers/recording-logger.js';

export interface ContractSubject {
  /** A store on fresh, empty storage; `reopen` opens the same storage again (after `close`). */
  open(): Promise<{ store: EventStore; reopen: () => Promise<EventStore> }>;
  /** A second store on the same storage while the first is open (a second daemon), when it can be shared. */
  openPeer?: (store: EventStore) => Promise<EventStore>;
  teardown?: () => Promise<void>;
}

/** Reads a tail until `count` events came in (or fails after the deadline), then stops it. */
export async function takeFromTail(
  store: EventStore,
  since: number,
  count: number,
  timeoutMs = 5000,
): Promise<MonEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const got: MonEvent[] = [];
  try {
    for await (const batch of store.tail(since, abort.signal)) {
      got.push(...batch);
      if (got.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return got;
}

export function runStoreContract(name: string, subject: ContractSubject): void {
  describe(`EventStore contract: ${name}`, () => {
    const open: EventStore[] = [];
    const fresh = async (): Promise<{ store: EventStore; reopen: () => Promise<EventStore> }> => {
      const opened = await subject.open();
      open.push(opened.store);
      return {
        store: opened.store,
        reopen: async () => {
          const again = await opened.reopen();
          open.push(again);
          return again;
        },
      };
    };
    after(async () => {
      for (const store of open) await store.close().catch(() => undefined);
      await subject.teardown?.();
    });

    test('numbers drafts 1, 2, 3… in call order and reads them back since any seq', async () => {
      const { store } = await fresh();
      assert.equal(store.lastSeq, 0);
      const [first, second] = await Promise.all([store.append(drafts(1, 3)), store.append(drafts(4, 2))]);
      assert.deepEqual(seqsOf(first), [1, 2, 3]);
      assert.deepEqual(seqsOf(second), [4, 5]);
      assert.equal(store.lastSeq, 5);
      assert.deepEqual(seqsOf(await store.readSince(0, 100)), range(1, 5));
      assert.deepEqual(seqsOf(await store.readSince(3, 100)), [4, 5]);
      assert.deepEqual(seqsOf(await store.readSince(1, 2)), [2, 3]);
      assert.deepEqual(await store.readSince(5, 100), []);
      const [stored] = await store.readSince(0, 1);
      assert.equal(stored!.id, 'id-1');
      assert.deepEqual(stored!.data, first[0]!.data);
      assert.equal(store.stats().lastSeq, 5);
      assert.equal(typeof store.stats().kind, 'string');
    });

    test('readBefore returns the newest events below a seq that pass the filter, ascending', async () => {
      const { store } = await fresh();
      await store.append(drafts(1, 30));
      assert.deepEqual(seqsOf(await store.readBefore(31, 5)), range(26, 30));
      assert.deepEqual(seqsOf(await store.readBefore(10, 3)), [7, 8, 9]);
      const even = await store.readBefore(31, 4, (event) => (event.data as { n: number }).n % 2 === 0);
      assert.deepEqual(seqsOf(even), [24, 26, 28, 30]);
    });

    test('readBeforeJson gives the events readBefore gives, each as its JSON text', async () => {
      const { store } = await fresh();
      await store.append(drafts(1, 30));
      const even = (event: MonEvent): boolean => (event.data as { n: number }).n % 2 === 0;
      for (const [before, limit, filter] of [
        [31, 30, undefined],
        [10, 3, undefined],
        [31, 4, even],
      ] as const) {
        const page = await store.readBeforeJson(before, limit, filter);
        const events = await store.readBefore(before, limit, filter);
        assert.deepEqual(
          page.map((item) => JSON.parse(item.json) as unknown),
          events,
        );
        assert.deepEqual(
          page.map((item) => item.seq),
          seqsOf(events),
        );
      }
    });

    test('tail yields the stored events after since, then each new batch, in order, with no gap', async () => {
      const { store } = await fresh();
      await store.append(drafts(1, 2500));
      const reading = takeFromTail(store, 1000, 1600);
      await store.append(drafts(2501, 50));
      await store.append(drafts(2551, 50));
      const got = await reading;
      assert.deepEqual(seqsOf(got), range(1001, 2600));
    });

    test('tail from the last seq is live only and ends when its signal aborts', async () => {
      const { store } = await fresh();
      await store.append(drafts(1, 10));
      const abort = new AbortController();
      const seen: number[] = [];
      const done = (async () => {
        for await (const batch of store.tail(store.lastSeq, abort.signal)) seen.push(...seqsOf(batch));
      })();
      for (let n = 11; n <= 20; n++) await store.append(drafts(n, 1));
      await waitFor(() => seen.length === 10, 'ten live events');
      abort.abort();
      await done;
      assert.deepEqual(seen, range(11, 20));
    });

    test('concurrent appends while several tails read: every tail sees every seq once, ascending', async () => {
      const { store } = await fresh();
      await store.append(drafts(1, 100));
      const tails = [0, 50, 100].map((since) => takeFromTail(store, since, 400 - since));
      const writes: Promise<MonEvent[]>[] = [];
      for (let n = 101; n <= 400; n += 10) writes.push(store.append(drafts(n, 10)));
      await Promise.all(writes);
      const results = await Promise.all(tails);
      assert.deepEqual(seqsOf(results[0]!), range(1, 400));
      assert.deepEqual(seqsOf(results[1]!), range(51, 400));
      assert.deepEqual(seqsOf(results[2]!), range(101, 400));
    });

    test('seqs continue after a reopen and the history is kept', async () => {
      const { store, reopen } = await fresh();
      await store.append(drafts(1, 7));
      await store.close();
      const again = await reopen();
      assert.equal(again.lastSeq, 7);
      const [next] = await again.append(drafts(8, 1));
      assert.equal(next!.seq, 8);
      assert.deepEqual(seqsOf(await again.readSince(0, 100)), range(1, 8));
    });

    test('a retry that reaches another daemon, or this one restarted, is acked as a duplicate with its first seq', async () => {
      // As a daemon builds its pipeline: the events config, the cluster's shared token as the id key,
      // the dedupe window seeded from the store's newest events at start.
      const daemonPipeline = async (
        store: EventStore,
      ): Promise<{ ingestor: Ingestor; counters: Counters }> => {
        const counters = new Counters();
        const ingestor = new Ingestor({
          store,
          config: resolveConfig({}).config.events,
          secret: 'a'.repeat(64),
          counters,
          logger: recordingLogger(),
        });
        await ingestor.rememberNewest(10_000);
        return { ingestor, counters };
      };
      const { store, reopen } = await fresh();
      const first = await daemonPipeline(store);
      // With a shared store the other daemon runs already (its window cannot know what `first` stores).
      const peer = subject.openPeer ? await subject.openPeer(store) : null;
      if (peer) open.push(peer);
      const second = peer ? await daemonPipeline(peer) : null;
      assert.deepEqual(await first.ingestor.ingestOne(hookPayload(1), 'producer', 'socket'), {
        ok: true,
        seq: 1,
      });
      let reader: EventStore = peer ?? store;
      let retried = second;
      if (!retried) {
        await store.close();
        reader = await reopen();
        retried = await daemonPipeline(reader);
      }
      assert.deepEqual(await retried.ingestor.ingestOne(hookPayload(1), 'producer', 'socket'), {
        ok: true,
        seq: 1,
        duplicate: true,
      });
      assert.deepEqual(await retried.ingestor.ingestOne(hookPayload(2), 'producer', 'socket'), {
        ok: true,
        seq: 2,
      });
      assert.equal(retried.counters.duplicates, 1);
      assert.equal(retried.counters.ingested, 1, 'the duplicate is not counted as accepted');
      assert.deepEqual(seqsOf(await reader.readSince(0, 10)), [1, 2], 'stored once');
    });

    if (subject.openPeer) {
      const openPeer = subject.openPeer;
      test("a second store on the same storage shares one seq and tails the other's events", async () => {
        const { store } = await fresh();
        const peer = await openPeer(store);
        open.push(peer);
        const peerSees = takeFromTail(peer, 0, 40);
        const mine = takeFromTail(store, 0, 40);
        const writes: Promise<MonEvent[]>[] = [];
        for (let n = 1; n <= 40; n += 4) writes.push((n % 8 === 1 ? store : peer).append(drafts(n, 4)));
        const assigned = (await Promise.all(writes)).flat();
        assert.deepEqual(
          seqsOf(assigned).sort((a, b) => a - b),
          range(1, 40),
        );
        assert.deepEqual(seqsOf(await peerSees), range(1, 40));
        assert.deepEqual(seqsOf(await mine), range(1, 40));
      });
    }
  });
}
