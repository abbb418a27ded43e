import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RateLimiter, type TakeResult } from '../../source/pipeline/index.js';
import { REFUSAL_STATUS } from '../../source/protocol/event.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let time = 5_000_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function refusal(result: TakeResult): Extract<TakeResult, { ok: false }> {
  if (result.ok) throw new assert.AssertionError({ message: 'expected a refusal', actual: result });
  return result;
}

describe('RateLimiter', () => {
  test('allows a burst of ratePerSecond, then refuses with when to retry', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, now: time.now });
    for (let i = 0; i < 10; i++) assert.deepEqual(limiter.take('p'), { ok: true });
    const refused = refusal(limiter.take('p'));
    assert.equal(refused.retryAfterMs, 100);
    assert.equal(refused.error.code, 'rate_limited');
    assert.equal(REFUSAL_STATUS[refused.error.code], 429);
    assert.equal(refused.error.retryAfterMs, 100);
    assert.match(
      refused.error.message,
      /at most 10 events per second per producer \(events\.ratePerSecond\); retry in 100 ms/,
    );
  });

  test('refills at the configured rate, up to the burst', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 5, now: time.now });
    assert.ok(limiter.take('p', 5).ok);
    time.advance(99);
    assert.equal(refusal(limiter.take('p')).retryAfterMs, 1);
    time.advance(1);
    assert.ok(limiter.take('p').ok);
    time.advance(60_000);
    assert.ok(limiter.take('p', 5).ok);
    assert.ok(!limiter.take('p').ok);
  });

  test('producers have their own buckets', () => {
    const limiter = new RateLimiter({ ratePerSecond: 2, now: () => 0 });
    assert.ok(limiter.take('a', 2).ok);
    assert.ok(!limiter.take('a').ok);
    assert.ok(limiter.take('b', 2).ok);
  });

  test('a batch takes as many tokens as it has events; a refused batch takes none', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 100, now: time.now });
    assert.ok(limiter.take('p', 60).ok);
    assert.equal(refusal(limiter.take('p', 50)).retryAfterMs, 100);
    assert.ok(limiter.take('p', 40).ok);
    assert.ok(limiter.take('p', 0).ok);
  });

  test('a batch larger than the burst says so', () => {
    const limiter = new RateLimiter({ ratePerSecond: 100, now: () => 0 });
    const refused = refusal(limiter.take('p', 101));
    assert.match(
      refused.error.message,
      /a batch of 101 events is more than the 100 a producer may send at once/,
    );
  });

  test('only maxProducers buckets are kept; the least recently used is forgotten', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 1, maxProducers: 3, now: time.now });
    for (const producer of ['a', 'b', 'c', 'd', 'e']) {
      assert.ok(limiter.take(producer).ok);
      time.advance(1);
    }
    assert.equal(limiter.size, 3);
    assert.ok(!limiter.take('e').ok, 'e is still tracked and empty');
    assert.ok(limiter.take('a').ok, 'a was forgotten and starts full');
  });

  test('idle producers whose bucket is full again are dropped', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, now: time.now });
    for (let i = 0; i < 100; i++) limiter.take(`p${i}`);
    time.advance(1000);
    limiter.take('fresh');
    assert.equal(limiter.size, 1);
  });

  test('a clock that steps back neither refills nor throws', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 1, now: time.now });
    assert.ok(limiter.take('p').ok);
    time.advance(-10_000);
    assert.ok(!limiter.take('p').ok);
  });

  test('bad options and counts are refused clearly', () => {
    assert.throws(
      () => new RateLimiter({ ratePerSecond: 0, now: () => 0 }),
      /ratePerSecond must be a positive number; got 0/,
    );
    assert.throws(
      () => new RateLimiter({ ratePerSecond: 1, burst: Number.NaN, now: () => 0 }),
      /burst must be a positive number/,
    );
    const limiter = new RateLimiter({ ratePerSecond: 1, now: () => 0 });
    assert.throws(() => limiter.take('p', -1), /count must be a non-negative integer/);
  });
});
