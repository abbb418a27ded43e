import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyHysteresis,
  INITIAL_HYSTERESIS,
  statusFor,
  worstStatus,
  type HysteresisState,
} from '../../source/health/evaluate.js';
import { HealthHistory } from '../../source/health/history.js';
import type { CheckResult, CheckStatus } from '../../source/protocol/health.js';
import { resolveConfig } from '../../source/config/resolve.js';
import { ConfigError } from '../../source/errors/config-error.js';

describe('statusFor', () => {
  const t = { warn: 10, fail: 20 };
  test('higher is worse: the boundaries belong to the worse side', () => {
    assert.equal(statusFor(9.99, t), 'pass');
    assert.equal(statusFor(10, t), 'warn');
    assert.equal(statusFor(19.9, t), 'warn');
    assert.equal(statusFor(20, t), 'fail');
    assert.equal(statusFor(1e9, t), 'fail');
  });
  test('lower is worse (free disk space)', () => {
    const disk = { warn: 512, fail: 64 };
    assert.equal(statusFor(1000, disk, true), 'pass');
    assert.equal(statusFor(512, disk, true), 'warn');
    assert.equal(statusFor(65, disk, true), 'warn');
    assert.equal(statusFor(64, disk, true), 'fail');
    assert.equal(statusFor(0, disk, true), 'fail');
  });
  test('an unmeasured value or a check without thresholds is not judged', () => {
    assert.equal(statusFor(null, t), 'pass');
    assert.equal(statusFor(Number.NaN, t), 'pass');
    assert.equal(statusFor(1e9, null), 'pass');
  });
});

test('worstStatus', () => {
  assert.equal(worstStatus([]), 'pass');
  assert.equal(worstStatus(['pass', 'warn', 'pass']), 'warn');
  assert.equal(worstStatus(['warn', 'fail', 'pass']), 'fail');
});

describe('hysteresis', () => {
  function feed(observed: CheckStatus[], runs: number): Array<CheckStatus | null> {
    let state: HysteresisState = INITIAL_HYSTERESIS;
    return observed.map((status) => (state = applyHysteresis(state, status, runs)).reported);
  }

  test('the first run is reported as is', () => {
    assert.deepEqual(feed(['fail'], 3), ['fail']);
    assert.deepEqual(feed(['pass'], 3), ['pass']);
  });
  test('a single spike does not flip the reported state', () => {
    assert.deepEqual(feed(['pass', 'fail', 'pass', 'pass'], 2), ['pass', 'pass', 'pass', 'pass']);
  });
  test('a new state is reported once it held for hysteresisRuns consecutive runs', () => {
    assert.deepEqual(feed(['pass', 'fail', 'fail', 'fail'], 3), ['pass', 'pass', 'pass', 'fail']);
  });
  test('fail → pass needs the same number of runs', () => {
    assert.deepEqual(feed(['fail', 'pass', 'pass'], 2), ['fail', 'fail', 'pass']);
    assert.deepEqual(feed(['fail', 'pass', 'fail', 'pass'], 2), ['fail', 'fail', 'fail', 'fail']);
  });
  test('an interrupted streak starts over', () => {
    assert.deepEqual(feed(['pass', 'warn', 'fail', 'fail'], 2), ['pass', 'pass', 'pass', 'fail']);
  });
  test('runs = 1 reports every change at once', () => {
    assert.deepEqual(feed(['pass', 'fail', 'pass'], 1), ['pass', 'fail', 'pass']);
  });
});

describe('health history', () => {
  const at = (i: number): string => new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString();
  const result = (i: number, status: CheckStatus): CheckResult => ({
    name: 'process:cpu',
    status,
    observedValue: i,
    observedUnit: '%',
    threshold: null,
    output: '',
    time: at(i),
  });

  test('keeps at most historySize points per check, oldest first', () => {
    const history = new HealthHistory(3);
    for (let i = 0; i < 7; i++) history.add(result(i, 'pass'));
    const track = history.get('process:cpu')!;
    assert.deepEqual(
      track.points.map((point) => point.observedValue),
      [4, 5, 6],
    );
    assert.equal(track.latest.observedValue, 6);
    assert.equal(history.get('nope'), undefined);
  });

  test('remembers when the status last changed', () => {
    const history = new HealthHistory(10);
    history.add(result(0, 'pass'));
    assert.equal(history.get('process:cpu')!.lastChangedAt, null);
    history.add(result(1, 'pass'));
    history.add(result(2, 'warn'));
    history.add(result(3, 'warn'));
    assert.equal(history.get('process:cpu')!.lastChangedAt, at(2));
    history.add(result(4, 'pass'));
    assert.equal(history.all()['process:cpu']!.lastChangedAt, at(4));
  });

  test('refuses a size that is not a positive integer', () => {
    assert.throws(() => new HealthHistory(0), /history size must be an integer >= 1, got 0/);
  });
});

describe('health config keys', () => {
  test('health.checkTimeoutMs defaults to 2000 and is validated', () => {
    assert.equal(resolveConfig({}).config.health.checkTimeoutMs, 2000);
    assert.equal(
      resolveConfig({ env: { MPM_MON_HEALTH_CHECK_TIMEOUT_MS: '150' } }).config.health.checkTimeoutMs,
      150,
    );
    assert.throws(
      () => resolveConfig({ file: { health: { checkTimeoutMs: 0 } }, fileWhere: 'config.json' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /"health.checkTimeoutMs".*expected an integer from 10 to 600000/.test(error.message),
    );
  });
});
