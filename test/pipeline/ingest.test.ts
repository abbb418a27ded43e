/**
 * The Ingestor against a real journal store in a temp dir: what is acknowledged is what was written,
 * copies are stored once (in one body, across bodies, and while the first copy is still being
 * written), and a failed write is refused, never acknowledged — for the copies that waited on it too.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { resolveConfig } from '../../source/config/resolve.js';
import { Counters } from '../../source/daemon/counters.js';
import { Ingestor } from '../../source/pipeline/ingest.js';
import type { MonEvent } from '../../source/protocol/event.js';
import type { JournalStore } from '../../source/store/index.js';
import type { EventDraft, EventStore } from '../../source/store/types.js';
import { hookPayload, seqsOf } from '../helpers/events.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { tempDir } from '../helpers/temp-home.js';
import { openTestStore } from '../store/helpers.js';

const SECRET = 'ab'.repeat(32);
const events = resolveConfig({}).config.events;

let temp: ReturnType<typeof tempDir>;
let store: JournalStore;
beforeEach(async () => {
  temp = tempDir('mpm-mon-ingest-');
  store = await openTestStore(temp.path);
});
afterEach(async () => {
  await store.close();
  temp.remove();
});

/** The real store, with its appends held back until `release()` (a write in flight), or failing once. */
class HeldStore implements EventStore {
  private gate: Promise<void> | null = null;
  private open: () => void = () => {};
  private failure: Error | null = null;

  constructor(private readonly real: EventStore) {}

  get lastSeq(): number {
    return this.real.lastSeq;
  }

  get peerNodes() {
    return this.real.peerNodes;
  }

  hold(): this {
    this.gate = new Promise<void>((resolve) => (this.open = resolve));
    return this;
  }

  failNext(error: Error): this {
    this.failure = error;
    return this.hold();
  }

  release(): void {
    this.gate = null;
    this.open();
  }

  async append(drafts: readonly EventDraft[]): Promise<MonEvent[]> {
    const { gate, failure } = this;
    this.failure = null;
    if (gate) await gate;
    if (failure) throw failure;
    return this.real.append(drafts);
  }

  tail: EventStore['tail'] = (since, signal) => this.real.tail(since, signal);
  readSince = (since: number, limit: number) => this.real.readSince(since, limit);
  readBefore: EventStore['readBefore'] = (before, limit, filter) =>
    this.real.readBefore(before, limit, filter);
  readBeforeJson: EventStore['readBeforeJson'] = (before, limit, filter, after) =>
    this.real.readBeforeJson(before, limit, filter, after);
  close = () => this.real.close();
  stats = () => this.real.stats();
}

function ingestor(over: Partial<ConstructorParameters<typeof Ingestor>[0]> = {}) {
  const counters = new Counters();
  const logger = recordingLogger();
  const ingest = new Ingestor({
    store,
    config: { ...events, ratePerSecond: 1_000_000 },
    secret: SECRET,
    counters,
    logger,
    ...over,
  });
  return { ingest, counters, logger };
}

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('Ingestor', () => {
  test('one event: written, then acknowledged with its seq', async () => {
    const { ingest, counters } = ingestor();
    const ack = await ingest.ingestOne(hookPayload(1), 'p', 'socket');
    assert.deepEqual(ack, { ok: true, seq: 1 });
    assert.deepEqual(seqsOf(await store.readSince(0, 10)), [1]);
    assert.equal(counters.ingested, 1);
  });

  test('an array body: each item stored in order; a bad item is refused by index, the rest accepted', async () => {
    const { ingest, counters } = ingestor();
    const answer = await ingest.ingestBody(
      body([hookPayload(1), { nope: true }, hookPayload(2)]),
      'p',
      'http',
    );
    assert.ok(answer.ok);
    assert.equal(answer.array, true);
    assert.deepEqual(answer.acks[0], { ok: true, seq: 1 });
    assert.equal(answer.acks[1]?.ok ? 'accepted' : answer.acks[1]?.error.code, 'invalid_event');
    assert.deepEqual(answer.acks[2], { ok: true, seq: 2 });
    assert.equal(counters.refusedByReason.invalid_event, 1);
  });

  test('copies in one body are stored once and acknowledged as duplicates of the first', async () => {
    const { ingest, counters } = ingestor();
    const answer = await ingest.ingestBody(body([hookPayload(7), hookPayload(7)]), 'p', 'http');
    assert.deepEqual(answer, {
      ok: true,
      array: true,
      acks: [
        { ok: true, seq: 1 },
        { ok: true, seq: 1, duplicate: true },
      ],
    });
    assert.equal((await store.readSince(0, 10)).length, 1);
    assert.equal(counters.duplicates, 1);
  });

  test('a copy after the write is a duplicate of the stored seq', async () => {
    const { ingest } = ingestor();
    await ingest.ingestOne(hookPayload(3), 'p', 'socket');
    assert.deepEqual(await ingest.ingestOne(hookPayload(3), 'p', 'http'), {
      ok: true,
      seq: 1,
      duplicate: true,
    });
    assert.equal((await store.readSince(0, 10)).length, 1);
  });

  test('a copy while the first is still being written waits for it and gets its seq', async () => {
    const held = new HeldStore(store).hold();
    const { ingest } = ingestor({ store: held });
    const first = ingest.ingestOne(hookPayload(5), 'p', 'socket');
    const second = ingest.ingestOne(hookPayload(5), 'q', 'http');
    held.release();
    assert.deepEqual(await first, { ok: true, seq: 1 });
    assert.deepEqual(await second, { ok: true, seq: 1, duplicate: true });
    assert.deepEqual(seqsOf(await store.readSince(0, 10)), [1], 'stored once');
  });

  test('a failed write refuses the event and the copy that waited on it; a retry is then stored', async () => {
    const held = new HeldStore(store).failNext(new Error('disk full'));
    const { ingest, counters, logger } = ingestor({ store: held });
    const first = ingest.ingestOne(hookPayload(9), 'p', 'socket');
    const copy = ingest.ingestOne(hookPayload(9), 'q', 'http');
    held.release();
    const [firstAck, copyAck] = await Promise.all([first, copy]);
    assert.equal(firstAck.ok, false);
    assert.equal(copyAck.ok, false);
    if (!firstAck.ok && !copyAck.ok) {
      assert.equal(firstAck.error.code, 'journal_unavailable');
      assert.match(firstAck.error.message, /disk full/);
      assert.equal(copyAck.error.code, 'journal_unavailable');
      assert.match(copyAck.error.message, /identical event/);
    }
    assert.equal(counters.refusedByReason.journal_unavailable, 1);
    assert.ok(logger.entries.some((entry) => entry.level === 'error'));
    assert.deepEqual(await ingest.ingestOne(hookPayload(9), 'p', 'socket'), { ok: true, seq: 1 });
    assert.equal((await store.readSince(0, 10)).length, 1, 'the retry is stored, the failure was not');
  });

  test('over the rate: the whole body is refused as rate_limited with a retry-after, nothing stored', async () => {
    const { ingest } = ingestor({ config: { ...events, ratePerSecond: 1 } });
    const answer = await ingest.ingestBody(
      body([hookPayload(1), hookPayload(2), hookPayload(3)]),
      'p',
      'http',
    );
    assert.ok(!answer.ok);
    assert.equal(answer.error.code, 'rate_limited');
    assert.ok((answer.error.retryAfterMs ?? 0) > 0);
    assert.equal((await store.readSince(0, 10)).length, 0);
  });

  test('after refuseNew: shutting_down, and settled() waits for writes already accepted', async () => {
    const held = new HeldStore(store).hold();
    const { ingest } = ingestor({ store: held });
    const accepted = ingest.ingestOne(hookPayload(1), 'p', 'socket');
    ingest.refuseNew();
    const refused = await ingest.ingestOne(hookPayload(2), 'p', 'socket');
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'shutting_down');
    let settled = false;
    const done = ingest.settled().then(() => (settled = true));
    await Promise.resolve();
    assert.equal(settled, false, 'a write is still in flight');
    held.release();
    await done;
    assert.deepEqual(await accepted, { ok: true, seq: 1 });
  });
});
