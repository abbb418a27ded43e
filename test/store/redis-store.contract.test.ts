import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { RedisStore, type RedisStoreOptions } from '../../source/store/redis-store.js';
import { isStoreUnavailable } from '../../source/store/unavailable.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { runStoreContract } from './contract.js';
import { drafts, seqsOf } from '../helpers/events.js';
import { recordingLogger } from '../helpers/recording-logger.js';

let redis: RedisServer;
let prefixes = 0;

function options(prefix: string, nodeId = 'node-a'): RedisStoreOptions {
  return {
    url: redis.url,
    prefix,
    maxLen: 100_000,
    dedupeTtlMs: 60_000,
    describeNode: () => ({
      nodeId,
      pid: process.pid,
      host: '127.0.0.1',
      port: 1,
      version: 'test',
      startedAt: new Date().toISOString(),
    }),
    logger: recordingLogger(),
  };
}

before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.stop();
  redis.remove();
});

runStoreContract('Redis Streams', {
  open: async () => {
    // Each test gets its own keys on the one server: fresh, empty storage.
    const prefix = `{t${++prefixes}}`;
    return {
      store: await RedisStore.open(options(prefix)),
      reopen: () => RedisStore.open(options(prefix)),
    };
  },
  openPeer: (store) => RedisStore.open(options((store as RedisStore).stats().prefix, 'node-b')),
});

describe('Redis store', () => {
  test('a retried event gets its first seq back, from any daemon, and is stored once', async () => {
    const prefix = `{dedupe${++prefixes}}`;
    const a = await RedisStore.open(options(prefix, 'node-a'));
    const b = await RedisStore.open(options(prefix, 'node-b'));
    try {
      const first = await a.append(drafts(1, 3));
      const again = await b.append([...drafts(2, 1), ...drafts(10, 1)]);
      assert.deepEqual(seqsOf(first), [1, 2, 3]);
      assert.deepEqual(seqsOf(again), [2, 4]);
      assert.deepEqual(seqsOf(await b.readSince(0, 10)), [1, 2, 3, 4]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('each daemon lists the others through heartbeats', async () => {
    const prefix = `{nodes${++prefixes}}`;
    const a = await RedisStore.open(options(prefix, 'node-a'));
    const b = await RedisStore.open(options(prefix, 'node-b'));
    try {
      const { waitFor } = await import('../helpers/wait.js');
      await waitFor(() => a.stats().peers.some((peer) => peer.nodeId === 'node-b'), 'a to see b', 8000);
      await waitFor(() => b.stats().peers.some((peer) => peer.nodeId === 'node-a'), 'b to see a', 8000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('Redis down: appends reject as store_unavailable; back up: nothing acked is lost, seqs go on', async () => {
    const prefix = `{down${++prefixes}}`;
    const store = await RedisStore.open(options(prefix));
    try {
      assert.deepEqual(seqsOf(await store.append(drafts(1, 5))), [1, 2, 3, 4, 5]);
      await redis.kill();
      const refused = await store.append(drafts(6, 1)).then(
        () => null,
        (error: unknown) => error,
      );
      assert.ok(isStoreUnavailable(refused), `got ${String(refused)}`);
      assert.equal(store.stats().writable, false);
      await redis.start();
      const { waitFor } = await import('../helpers/wait.js');
      await waitFor(() => store.connected, 'the store to reconnect', 10_000);
      const [next] = await store.append(drafts(6, 1));
      assert.equal(next!.seq, 6);
      assert.deepEqual(seqsOf(await store.readSince(0, 100)), [1, 2, 3, 4, 5, 6]);
    } finally {
      await store.close();
    }
  });
});
