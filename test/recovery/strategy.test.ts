import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckResult, CheckStatus } from '../../source/protocol/health.js';
import {
  actionFailed,
  actionFinished,
  decide,
  INITIAL_STRATEGY,
  type StrategyInput,
  type StrategyState,
} from '../../source/recovery/strategy.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const config = { cooldownMs: 1000, breaker: { failureThreshold: 100, resetTimeoutMs: 1000 } };

function result(name: string, status: CheckStatus, value: number | null = 1): CheckResult {
  return {
    name,
    status,
    observedValue: value,
    observedUnit: 'x',
    threshold: null,
    output: `${name} ${status}`,
    time: new Date(T0).toISOString(),
  };
}

function run(
  at: number,
  results: CheckResult[],
  reported: CheckStatus = results.some((r) => r.status === 'fail')
    ? 'fail'
    : results.some((r) => r.status === 'warn')
      ? 'warn'
      : 'pass',
  cfg = config,
): StrategyInput {
  return { run: { results, reported, startedAt: at }, now: at, config: cfg };
}

const healthy = [result('process:memory', 'pass'), result('service:refusals', 'pass', 500)];
const memoryFail = [result('process:memory', 'fail', 900), result('service:refusals', 'pass')];

/** Starts an action and lets it finish at `finishedAt`. */
function actAndFinish(state: StrategyState, at: number, results: CheckResult[], finishedAt = at + 10) {
  const step = decide(state, run(at, results));
  assert.equal(step.decision.kind, 'act');
  return { step, state: actionFinished(step.state, finishedAt) };
}

describe('recovery strategy', () => {
  test('healthy: nothing to do', () => {
    const step = decide(INITIAL_STRATEGY, run(T0, healthy));
    assert.deepEqual(step.decision, { kind: 'none', reason: 'healthy' });
    assert.equal(step.judgement, null);
  });

  test('client-caused refusals (reported as passing figures) never trigger anything', () => {
    // A flood of malformed events: the service check reports a high refusal rate but passes.
    const flood = [
      result('service:refusals', 'pass', 5000),
      result('service:errorRate', 'pass', 0),
      result('service:clients', 'pass', 3),
    ];
    let state = INITIAL_STRATEGY;
    for (let i = 0; i < 10; i++) {
      const step = decide(state, run(T0 + i * 5000, flood));
      assert.equal(step.decision.kind, 'none');
      state = step.state;
    }
  });

  test('warn → record-warning, once per unchanged set of warnings', () => {
    const warn = [result('process:cpu', 'warn', 80), result('process:memory', 'pass')];
    const first = decide(INITIAL_STRATEGY, run(T0, warn));
    assert.equal(first.decision.kind, 'record-warning');
    assert.deepEqual(first.decision.kind === 'record-warning' && first.decision.trigger.map((r) => r.name), [
      'process:cpu',
    ]);
    const again = decide(first.state, run(T0 + 100, warn));
    assert.deepEqual(again.decision, { kind: 'none', reason: 'unchanged-warning' });
    const more = [...warn, result('process:heap', 'warn')];
    assert.equal(decide(again.state, run(T0 + 200, more)).decision.kind, 'record-warning');
    // back to healthy, then the same warning again is a new episode: recorded again
    const calm = decide(again.state, run(T0 + 300, healthy));
    assert.equal(decide(calm.state, run(T0 + 400, warn)).decision.kind, 'record-warning');
  });

  test('fail → clear-connections, with the failing checks as trigger', () => {
    const step = decide(INITIAL_STRATEGY, run(T0, memoryFail));
    assert.equal(step.decision.kind, 'act');
    assert.equal(step.decision.kind === 'act' && step.decision.action, 'clear-connections');
    assert.deepEqual(step.decision.kind === 'act' && step.decision.trigger.map((r) => r.name), [
      'process:memory',
    ]);
    assert.deepEqual(step.state.pending, {
      action: 'clear-connections',
      trigger: ['process:memory'],
      startedAt: T0,
      finishedAt: null,
    });
  });

  test('a failing check not yet confirmed by hysteresis triggers nothing', () => {
    const step = decide(INITIAL_STRATEGY, run(T0, memoryFail, 'pass'));
    assert.deepEqual(step.decision, { kind: 'none', reason: 'not-confirmed' });
    assert.equal(step.state.pending, null);
  });

  test('nothing else is attempted while an action runs', () => {
    const started = decide(INITIAL_STRATEGY, run(T0, memoryFail));
    const during = decide(started.state, run(T0 + 5000, memoryFail));
    assert.deepEqual(during.decision, { kind: 'none', reason: 'busy' });
    assert.equal(during.judgement, null);
  });

  test('success is judged at the NEXT run after the action finished, not when it merely ran', () => {
    const { state } = actAndFinish(INITIAL_STRATEGY, T0, memoryFail, T0 + 500);
    // A run that started before the action finished does not judge it.
    const early = decide(state, run(T0 + 400, healthy));
    assert.deepEqual(early.decision, { kind: 'none', reason: 'awaiting-judgement' });
    assert.equal(early.judgement, null);
    assert.notEqual(early.state.pending, null);
    const next = decide(early.state, run(T0 + 600, healthy));
    assert.equal(next.judgement?.outcome, 'succeeded');
    assert.equal(next.state.pending, null);
    assert.equal(next.state.rung, 0);
  });

  test('still failing at the next run → failed, and the ladder climbs to restart-service', () => {
    const { state } = actAndFinish(INITIAL_STRATEGY, T0, memoryFail);
    const next = decide(state, run(T0 + 2000, memoryFail));
    assert.equal(next.judgement?.outcome, 'failed');
    assert.deepEqual(
      next.judgement?.stillFailing.map((r) => r.name),
      ['process:memory'],
    );
    assert.equal(next.decision.kind === 'act' && next.decision.action, 'restart-service');
  });

  test('the full ladder: warn → clear-connections → restart-service → emergency-stop', () => {
    const seen: string[] = [];
    const warn = [result('process:memory', 'warn', 400)];
    let state = INITIAL_STRATEGY;
    let at = T0;
    const step0 = decide(state, run(at, warn));
    seen.push(step0.decision.kind === 'record-warning' ? 'record-warning' : step0.decision.kind);
    state = step0.state;
    for (let i = 0; i < 3; i++) {
      at += 2000;
      const step = decide(state, run(at, memoryFail));
      assert.equal(step.decision.kind, 'act', `run ${i}`);
      if (step.decision.kind === 'act') seen.push(step.decision.action);
      if (i > 0) assert.equal(step.judgement?.outcome, 'failed');
      state = actionFinished(step.state, at + 10);
    }
    assert.deepEqual(seen, ['record-warning', 'clear-connections', 'restart-service', 'emergency-stop']);
  });

  test('the cool-down holds back the next action, then lets it through', () => {
    const { state } = actAndFinish(INITIAL_STRATEGY, T0, memoryFail);
    const soon = decide(state, run(T0 + 500, memoryFail));
    assert.equal(soon.judgement?.outcome, 'failed', 'judged even during the cool-down');
    assert.equal(soon.decision.kind, 'blocked');
    assert.equal(soon.decision.kind === 'blocked' && soon.decision.reason, 'cooldown');
    assert.equal(soon.decision.kind === 'blocked' && soon.decision.action, 'restart-service');
    assert.equal(soon.state.pending, null);
    const later = decide(soon.state, run(T0 + 1000, memoryFail));
    assert.equal(later.decision.kind === 'act' && later.decision.action, 'restart-service');
  });

  test('an open breaker blocks the attempt and keeps the rung; after its timeout one trial goes', () => {
    const { state } = actAndFinish(INITIAL_STRATEGY, T0, memoryFail);
    const open: StrategyState = { ...state, breaker: { name: 'open', failures: 3, openedAt: T0 + 1500 } };
    const blocked = decide(open, run(T0 + 2000, memoryFail));
    assert.equal(blocked.decision.kind === 'blocked' && blocked.decision.reason, 'breaker-open');
    assert.equal(blocked.state.pending, null);
    const trial = decide(blocked.state, run(T0 + 2500, memoryFail));
    assert.equal(trial.decision.kind === 'act' && trial.decision.action, 'restart-service');
    assert.equal(trial.state.breaker.name, 'half-open');
  });

  test('verdicts feed the breaker: it opens at the threshold and blocks in the same run', () => {
    const strict = { cooldownMs: 0, breaker: { failureThreshold: 2, resetTimeoutMs: 10_000 } };
    let state = decide(INITIAL_STRATEGY, run(T0, memoryFail, 'fail', strict)).state;
    state = actionFinished(state, T0 + 1);
    const second = decide(state, run(T0 + 100, memoryFail, 'fail', strict));
    assert.equal(second.state.breaker.failures, 1);
    assert.equal(second.decision.kind === 'act' && second.decision.action, 'restart-service');
    const third = decide(actionFinished(second.state, T0 + 101), run(T0 + 200, memoryFail, 'fail', strict));
    assert.equal(third.judgement?.outcome, 'failed');
    assert.deepEqual(third.state.breaker, { name: 'open', failures: 2, openedAt: T0 + 200 });
    assert.equal(third.decision.kind === 'blocked' && third.decision.reason, 'breaker-open');
    // a success closes it again (trial after the timeout, then a healthy run)
    const trial = decide(third.state, run(T0 + 10_200, memoryFail, 'fail', strict));
    assert.equal(trial.decision.kind, 'act');
    const ok = decide(actionFinished(trial.state, T0 + 10_201), run(T0 + 10_300, healthy, 'pass', strict));
    assert.equal(ok.judgement?.outcome, 'succeeded');
    assert.deepEqual(ok.state.breaker, { name: 'closed', failures: 0, openedAt: null });
  });

  test('an action that throws fails at once and the ladder climbs', () => {
    const started = decide(INITIAL_STRATEGY, run(T0, memoryFail));
    const failed = actionFailed(started.state, config, T0 + 5);
    assert.equal(failed.pending, null);
    assert.equal(failed.breaker.failures, 1, 'the breaker counts it');
    const next = decide(failed, run(T0 + 2000, memoryFail));
    assert.equal(next.judgement, null, 'nothing left to judge');
    assert.equal(next.decision.kind === 'act' && next.decision.action, 'restart-service');
  });

  test('a success resets the ladder: the next incident starts at clear-connections', () => {
    const first = actAndFinish(INITIAL_STRATEGY, T0, memoryFail);
    const failedOnce = decide(first.state, run(T0 + 2000, memoryFail)); // clear failed → restart
    const restarted = actionFinished(failedOnce.state, T0 + 2100);
    const ok = decide(restarted, run(T0 + 4000, healthy));
    assert.equal(ok.judgement?.outcome, 'succeeded');
    const again = decide(ok.state, run(T0 + 6000, memoryFail));
    assert.equal(again.decision.kind === 'act' && again.decision.action, 'clear-connections');
  });

  test('the ladder tops out at emergency-stop', () => {
    let state: StrategyState = { ...INITIAL_STRATEGY, rung: 2 };
    const step = decide(state, run(T0, memoryFail));
    assert.equal(step.decision.kind === 'act' && step.decision.action, 'emergency-stop');
    state = actionFailed(step.state, config, T0 + 1);
    assert.equal(state.rung, 2);
  });

  test('a different check failing after the trigger recovered: the attempt succeeded', () => {
    const { state } = actAndFinish(INITIAL_STRATEGY, T0, memoryFail);
    const other = [result('process:memory', 'pass'), result('network:delivery', 'fail', null)];
    const next = decide(state, run(T0 + 2000, other));
    assert.equal(next.judgement?.outcome, 'succeeded');
    assert.equal(next.decision.kind === 'act' && next.decision.action, 'clear-connections');
  });

  test('checks only an operator can fix are recorded, never acted on', () => {
    const diskFull = [result('disk:free', 'fail', 10), result('process:memory', 'pass')];
    const step = decide(INITIAL_STRATEGY, run(T0, diskFull));
    assert.equal(step.decision.kind, 'record-warning');
    assert.match(step.decision.kind === 'record-warning' ? step.decision.detail : '', /needs an operator/);
    assert.equal(step.state.pending, null);
    assert.deepEqual(decide(step.state, run(T0 + 5000, diskFull)).decision, {
      kind: 'none',
      reason: 'unchanged-warning',
    });
  });

  test('decide does not mutate the state it was given', () => {
    const state = actAndFinish(INITIAL_STRATEGY, T0, memoryFail).state;
    const frozen = structuredClone(state);
    decide(state, run(T0 + 2000, memoryFail));
    assert.deepEqual(state, frozen);
  });
});
