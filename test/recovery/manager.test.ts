import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HealthRun } from '../../source/health/types.js';
import type { CheckResult, CheckStatus, RecoveryEntry } from '../../source/protocol/health.js';
import { createRecoveryManager, type RecoveryActions } from '../../source/recovery/manager.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

function result(name: string, status: CheckStatus, value: number | null = 1): CheckResult {
  return {
    name,
    status,
    observedValue: value,
    observedUnit: 'MiB',
    threshold: null,
    output: status,
    time: '',
  };
}

const memoryFail = [result('process:memory', 'fail', 900), result('service:refusals', 'pass', 9000)];
const healthy = [result('process:memory', 'pass', 50), result('service:refusals', 'pass', 0)];

/** The daemon's actions as a recorder: what was called, and how each call ends. */
function recorder(behaviour: Partial<Record<'clear' | 'restart' | 'stop', 'ok' | 'throw'>> = {}) {
  const calls: string[] = [];
  const act = (name: string, how: 'ok' | 'throw' | undefined): Promise<string> => {
    calls.push(name);
    return how === 'throw' ? Promise.reject(new Error(`${name} broke`)) : Promise.resolve(`${name} done`);
  };
  const actions: RecoveryActions = {
    clearConnections: () => act('clear-connections', behaviour.clear),
    restartService: () => act('restart-service', behaviour.restart),
    emergencyStop: (reason) => act(`emergency-stop: ${reason}`, behaviour.stop).then(() => undefined),
  };
  return { calls, actions };
}

function setup(
  options: {
    failureThreshold?: number;
    resetTimeoutMs?: number;
    cooldownMs?: number;
    enabled?: boolean;
    logSize?: number;
    behaviour?: Parameters<typeof recorder>[0];
  } = {},
) {
  let clock = T0;
  let index = 0;
  const { calls, actions } = recorder(options.behaviour);
  const pushed: RecoveryEntry[] = [];
  const manager = createRecoveryManager({
    config: {
      enabled: options.enabled ?? true,
      cooldownMs: options.cooldownMs ?? 0,
      breaker: {
        failureThreshold: options.failureThreshold ?? 5,
        resetTimeoutMs: options.resetTimeoutMs ?? 60_000,
      },
    },
    actions,
    now: () => clock,
    logSize: options.logSize,
    onEntry: (entry) => pushed.push(entry),
  });
  /** One health run at the current time, then lets a started action finish. */
  const feed = async (results: CheckResult[], advanceMs = 5000): Promise<void> => {
    clock += advanceMs;
    const reported = results.some((r) => r.status === 'fail') ? 'fail' : 'pass';
    const run: HealthRun = {
      index: ++index,
      startedAt: clock,
      finishedAt: clock,
      results,
      observed: reported,
      reported,
    };
    manager.handleRun(run);
    await manager.idle();
  };
  return { manager, calls, pushed, feed, advance: (ms: number) => (clock += ms) };
}

describe('recovery manager', () => {
  test('an attempt is pushed pending, then again with its verdict from the next run', async () => {
    const { manager, calls, pushed, feed } = setup();
    await feed(memoryFail);
    assert.deepEqual(calls, ['clear-connections']);
    assert.equal(pushed[0]!.outcome, 'pending');
    assert.equal(pushed[0]!.action, 'clear-connections');
    assert.deepEqual(pushed[0]!.trigger, [
      { check: 'process:memory', status: 'fail', observedValue: 900, observedUnit: 'MiB' },
    ]);
    assert.equal(manager.log()[0]!.outcome, 'pending', 'the action ran; that alone is not success');
    await feed(healthy);
    const final = pushed.at(-1)!;
    assert.equal(final.id, pushed[0]!.id, 'same entry, updated');
    assert.equal(final.outcome, 'succeeded');
    assert.equal(final.durationMs, 5000);
    assert.equal(manager.log().length, 1);
    assert.equal(manager.attemptCounts()['clear-connections'].succeeded, 1);
  });

  test('the ladder climbs to emergency-stop when failures persist (high breaker threshold)', async () => {
    const { manager, calls, feed } = setup({ failureThreshold: 10 });
    for (let i = 0; i < 5; i++) await feed(memoryFail);
    assert.deepEqual(calls, [
      'clear-connections',
      'restart-service',
      'emergency-stop: recovery: process:memory failing',
    ]);
    assert.deepEqual(
      manager.log().map((entry) => [entry.action, entry.outcome]),
      [
        ['clear-connections', 'failed'],
        ['restart-service', 'failed'],
        ['emergency-stop', 'pending'],
      ],
    );
    assert.match(manager.log()[0]!.detail!, /still failing at the next run: process:memory/);
    assert.equal(manager.log()[2]!.detail, 'emergency stop under way (exit 75)');
    // nothing is decided any more once the daemon is stopping
    assert.equal(manager.degraded(), false);
  });

  test('the breaker opens after failureThreshold failed attempts; the daemon is degraded and says so once', async () => {
    const { manager, calls, feed } = setup({ failureThreshold: 2, resetTimeoutMs: 60_000 });
    await feed(memoryFail); // clear
    await feed(memoryFail); // clear failed (1) → restart
    await feed(memoryFail); // restart failed (2) → open → skipped
    assert.equal(manager.breaker().state, 'open');
    assert.equal(manager.breaker().failures, 2);
    assert.equal(manager.degraded(), true);
    assert.deepEqual(manager.annotate(), { breaker: manager.breaker(), degraded: true });
    await feed(memoryFail);
    await feed(memoryFail);
    assert.deepEqual(calls, ['clear-connections', 'restart-service'], 'nothing more while open');
    const skipped = manager.log().filter((entry) => entry.outcome === 'skipped-breaker-open');
    assert.equal(skipped.length, 1, 'one skip entry per opening, not one per run');
    assert.match(skipped[0]!.detail!, /serving degraded; next trial at/);
    assert.equal(skipped[0]!.breaker, 'open');
  });

  test('half-open lets one trial through after resetTimeoutMs; success closes it', async () => {
    const { manager, calls, feed } = setup({ failureThreshold: 1, resetTimeoutMs: 20_000 });
    await feed(memoryFail); // clear
    await feed(memoryFail); // failed → open
    assert.equal(manager.breaker().state, 'open');
    await feed(memoryFail, 10_000); // still open (10 s of 20 s)
    assert.equal(calls.length, 1);
    await feed(memoryFail, 10_000); // 20 s since opening → trial: the next rung
    assert.deepEqual(calls, ['clear-connections', 'restart-service']);
    assert.equal(manager.log().at(-1)!.breaker, 'half-open');
    await feed(healthy);
    assert.equal(manager.log().at(-1)!.outcome, 'succeeded');
    assert.deepEqual(manager.breaker(), { state: 'closed', failures: 0, nextTrialAt: null, openedAt: null });
    assert.equal(manager.degraded(), false);
  });

  test('a failed trial opens the breaker again and logs a new skip', async () => {
    const { manager, feed } = setup({ failureThreshold: 1, resetTimeoutMs: 10_000 });
    await feed(memoryFail);
    await feed(memoryFail); // open
    await feed(memoryFail, 10_000); // trial
    await feed(memoryFail); // trial failed → open again
    assert.equal(manager.breaker().state, 'open');
    assert.equal(manager.breaker().failures, 2);
    assert.equal(manager.log().filter((entry) => entry.outcome === 'skipped-breaker-open').length, 2);
  });

  test('an action that throws is a failed attempt at once, with the error', async () => {
    const { manager, feed } = setup({ behaviour: { clear: 'throw' } });
    await feed(memoryFail);
    const entry = manager.log()[0]!;
    assert.equal(entry.outcome, 'failed');
    assert.match(entry.detail!, /the action failed: clear-connections broke/);
    assert.equal(manager.breaker().failures, 1);
  });

  test('a flood of client-caused refusals (passing results) never triggers anything', async () => {
    const { manager, calls, feed } = setup();
    const flood = [result('service:refusals', 'pass', 50_000), result('service:errorRate', 'pass', 0)];
    for (let i = 0; i < 10; i++) await feed(flood);
    assert.deepEqual(calls, []);
    assert.deepEqual(manager.log(), []);
  });

  test('the cool-down spaces corrective actions', async () => {
    const { calls, feed } = setup({ cooldownMs: 12_000 });
    await feed(memoryFail); // t=5 s clear
    await feed(memoryFail); // t=10 s judged failed; cool-down until 17 s
    assert.deepEqual(calls, ['clear-connections']);
    await feed(memoryFail); // t=15 s still cooling
    assert.deepEqual(calls, ['clear-connections']);
    await feed(memoryFail); // t=20 s
    assert.deepEqual(calls, ['clear-connections', 'restart-service']);
  });

  test('warnings are recorded without any action', async () => {
    const { manager, calls, feed } = setup();
    const warn = [result('process:cpu', 'warn', 80)];
    const run = (results: CheckResult[]): HealthRun => ({
      index: 1,
      startedAt: T0,
      finishedAt: T0,
      results,
      observed: 'warn',
      reported: 'warn',
    });
    manager.handleRun(run(warn));
    manager.handleRun(run(warn));
    await feed(healthy);
    assert.deepEqual(calls, []);
    assert.deepEqual(
      manager.log().map((entry) => [entry.action, entry.outcome]),
      [['record-warning', 'recorded']],
    );
  });

  test('recovery.enabled false: nothing at all', async () => {
    const { manager, calls, feed } = setup({ enabled: false });
    await feed(memoryFail);
    await feed(memoryFail);
    assert.deepEqual(calls, []);
    assert.deepEqual(manager.log(), []);
  });

  test('the log is bounded', async () => {
    const { manager, feed } = setup({ logSize: 3, failureThreshold: 1000 });
    for (let i = 0; i < 10; i++) {
      await feed(memoryFail);
      await feed(healthy);
    }
    const log = manager.log();
    assert.equal(log.length, 3);
    assert.deepEqual(
      log.map((entry) => entry.id),
      [8, 9, 10],
    );
  });

  test('a throwing onEntry does not break recovery', async () => {
    let clock = T0;
    const { calls, actions } = recorder();
    const manager = createRecoveryManager({
      config: { enabled: true, cooldownMs: 0, breaker: { failureThreshold: 5, resetTimeoutMs: 1000 } },
      actions,
      now: () => clock,
      onEntry: () => {
        throw new Error('viewer gone');
      },
    });
    clock += 1000;
    manager.handleRun({
      index: 1,
      startedAt: clock,
      finishedAt: clock,
      results: memoryFail,
      observed: 'fail',
      reported: 'fail',
    });
    await manager.idle();
    assert.deepEqual(calls, ['clear-connections']);
  });
});
