import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay } from '../../source/client/backoff.js';

const options = { initialMs: 100, maxMs: 5000, randomizationFactor: 0.5 };

test('doubles from the initial delay up to the cap, centred on the base', () => {
  const mid = () => 0.5;
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => backoffDelay(attempt, options, mid)),
    [100, 200, 400, 800, 1600, 3200, 5000, 5000],
  );
});

test('jitter stays within ±factor of the base and never exceeds the cap', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100 }),
      fc.double({ min: 0, max: 0.999999, noNaN: true }),
      (attempt, r) => {
        const base = Math.min(options.maxMs, options.initialMs * 2 ** (attempt - 1));
        const delay = backoffDelay(attempt, options, () => r);
        return delay >= Math.floor(base * 0.5) && delay <= Math.min(options.maxMs, Math.ceil(base * 1.5));
      },
    ),
  );
});
