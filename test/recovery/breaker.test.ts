import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  breakerAllows,
  breakerSnapshot,
  CLOSED_BREAKER,
  recordOutcome,
  tryAcquire,
  type BreakerState,
} from '../../source/recovery/breaker.js';

const config = { failureThreshold: 3, resetTimeoutMs: 1000 };
const T0 = Date.parse('2030-01-01T00:00:00.000Z');

function fail(state: BreakerState, times: number, at = T0): BreakerState {
  let next = state;
  for (let i = 0; i < times; i++)
    next = recordOutcome(tryAcquire(next, config, at).state, config, 'failure', at);
  return next;
}

describe('circuit breaker', () => {
  test('closed lets attempts through and counts consecutive failures', () => {
    assert.equal(breakerAllows(CLOSED_BREAKER, config, T0), true);
    const twice = fail(CLOSED_BREAKER, 2);
    assert.deepEqual(twice, { name: 'closed', failures: 2, openedAt: null });
    assert.equal(breakerAllows(twice, config, T0), true);
  });

  test('a success while closed resets the failure count', () => {
    const twice = fail(CLOSED_BREAKER, 2);
    assert.deepEqual(recordOutcome(twice, config, 'success', T0), CLOSED_BREAKER);
    // so two more failures do not open it
    assert.equal(fail(recordOutcome(twice, config, 'success', T0), 2).name, 'closed');
  });

  test('opens at exactly failureThreshold consecutive failures', () => {
    const open = fail(CLOSED_BREAKER, 3, T0 + 5);
    assert.deepEqual(open, { name: 'open', failures: 3, openedAt: T0 + 5 });
  });

  test('open blocks every attempt until resetTimeoutMs has passed', () => {
    const open = fail(CLOSED_BREAKER, 3);
    for (const at of [T0, T0 + 1, T0 + 999]) {
      assert.equal(breakerAllows(open, config, at), false);
      const acquired = tryAcquire(open, config, at);
      assert.equal(acquired.allowed, false);
      assert.equal(acquired.state, open, 'a refused attempt leaves the state as it was');
    }
    assert.equal(breakerAllows(open, config, T0 + 1000), true);
  });

  test('half-open lets exactly one trial through', () => {
    const open = fail(CLOSED_BREAKER, 3);
    const first = tryAcquire(open, config, T0 + 1000);
    assert.equal(first.allowed, true);
    assert.equal(first.state.name, 'half-open');
    const second = tryAcquire(first.state, config, T0 + 1001);
    assert.equal(second.allowed, false);
    assert.equal(tryAcquire(second.state, config, T0 + 50_000).allowed, false, 'not even much later');
  });

  test('a successful trial closes the breaker and resets failures', () => {
    const trial = tryAcquire(fail(CLOSED_BREAKER, 3), config, T0 + 1000).state;
    assert.deepEqual(recordOutcome(trial, config, 'success', T0 + 1100), CLOSED_BREAKER);
  });

  test('a failed trial opens it again with a new timer', () => {
    const trial = tryAcquire(fail(CLOSED_BREAKER, 3), config, T0 + 1000).state;
    const reopened = recordOutcome(trial, config, 'failure', T0 + 1200);
    assert.deepEqual(reopened, { name: 'open', failures: 4, openedAt: T0 + 1200 });
    assert.equal(breakerAllows(reopened, config, T0 + 2199), false);
    assert.equal(breakerAllows(reopened, config, T0 + 2200), true);
  });

  test('an outcome recorded while open (nothing was let through) changes nothing', () => {
    const open = fail(CLOSED_BREAKER, 3);
    assert.equal(recordOutcome(open, config, 'success', T0 + 10), open);
    assert.equal(recordOutcome(open, config, 'failure', T0 + 10), open);
  });

  test('a snapshot never changes the state, and reads an elapsed open breaker as half-open', () => {
    const open = fail(CLOSED_BREAKER, 3);
    const frozen = structuredClone(open);
    const before = breakerSnapshot(open, config, T0 + 10);
    assert.deepEqual(before, {
      state: 'open',
      failures: 3,
      nextTrialAt: new Date(T0 + 1000).toISOString(),
      openedAt: new Date(T0).toISOString(),
    });
    const due = breakerSnapshot(open, config, T0 + 5000);
    assert.equal(due.state, 'half-open');
    for (let i = 0; i < 5; i++) breakerSnapshot(open, config, T0 + 5000 + i);
    assert.deepEqual(open, frozen, 'reading many times did not mutate');
    // and the one trial is still available after all that reading
    assert.equal(tryAcquire(open, config, T0 + 5000).allowed, true);
    assert.deepEqual(breakerSnapshot(CLOSED_BREAKER, config, T0), {
      state: 'closed',
      failures: 0,
      nextTrialAt: null,
      openedAt: null,
    });
  });

  test('threshold 1 opens on the first failure', () => {
    const one = { failureThreshold: 1, resetTimeoutMs: 0 };
    const open = recordOutcome(CLOSED_BREAKER, one, 'failure', T0);
    assert.equal(open.name, 'open');
    assert.equal(breakerAllows(open, one, T0), true, 'reset timeout 0: trial at once');
  });
});
