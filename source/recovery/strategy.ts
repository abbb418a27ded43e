/**
 * The graded recovery ladder, as pure functions of (state, health run, breaker, now).
 *
 * - warn → `record-warning` (once per set of warning checks; not an attempt, no breaker, no cool-down).
 * - fail → `clear-connections`; still failing after it → `restart-service`; still failing after that →
 *   `emergency-stop`. Each rung is an attempt: it goes through the breaker and respects the cool-down.
 * - An attempt is judged at the first run that STARTS after the action finished: it succeeded only if
 *   none of the checks that triggered it is failing any more. Until then its outcome is pending and
 *   nothing else is attempted. Merely running is not success.
 * - Only the reported (hysteresis-filtered) overall status arms the ladder, so a single spike does not.
 * - Client-caused refusals never produce a non-pass result (see health/checks/service.ts), so they can
 *   never trigger anything here. Checks no recovery action can fix (free disk, corrupt journal lines,
 *   spool backlog) are recorded as warnings for an operator instead of climbing the ladder.
 */
import type { CheckResult } from '../protocol/health.js';
import type { HealthRun } from '../health/types.js';
import {
  CLOSED_BREAKER,
  recordOutcome,
  tryAcquire,
  type BreakerConfig,
  type BreakerState,
} from './breaker.js';

export type CorrectiveAction = 'clear-connections' | 'restart-service' | 'emergency-stop';
export const LADDER: readonly CorrectiveAction[] = ['clear-connections', 'restart-service', 'emergency-stop'];

/** Failing checks that no in-process action can fix: an operator must (free disk, repair, drain). */
export const OPERATOR_CHECKS: ReadonlySet<string> = new Set([
  'disk:free',
  'journal:corruptLines',
  'spool:backlog',
  'store:reachable',
]);

/**
 * A shared store that is away: what depends on it (the round-trip probe) fails too, and no in-process
 * action brings it back, so while it fails nothing on the ladder is attempted.
 */
export const DEPENDENCY_CHECKS: ReadonlySet<string> = new Set(['store:reachable']);

export interface PendingAttempt {
  action: CorrectiveAction;
  /** Names of the checks that were failing when it started. */
  trigger: readonly string[];
  startedAt: number;
  /** Epoch ms the action returned; null while it runs. */
  finishedAt: number | null;
}

export interface StrategyState {
  /** Index into LADDER of the next corrective action of the current incident. */
  readonly rung: number;
  readonly pending: PendingAttempt | null;
  /** When the last corrective action started (cool-down). */
  readonly lastActionAt: number | null;
  /** The set of checks last recorded as a warning, so an unchanged warning is recorded once. */
  readonly warnedKey: string | null;
  /** The circuit breaker every attempt goes through. */
  readonly breaker: BreakerState;
}

export const INITIAL_STRATEGY: StrategyState = {
  rung: 0,
  pending: null,
  lastActionAt: null,
  warnedKey: null,
  breaker: CLOSED_BREAKER,
};

export interface StrategyConfig {
  cooldownMs: number;
  breaker: BreakerConfig;
}

export interface Judgement {
  action: CorrectiveAction;
  outcome: 'succeeded' | 'failed';
  /** Trigger checks still failing (empty on success). */
  stillFailing: CheckResult[];
}

export type Decision =
  | {
      kind: 'none';
      reason: 'healthy' | 'busy' | 'awaiting-judgement' | 'unchanged-warning' | 'not-confirmed';
    }
  | { kind: 'record-warning'; trigger: CheckResult[]; detail: string }
  | { kind: 'act'; action: CorrectiveAction; trigger: CheckResult[] }
  | {
      kind: 'blocked';
      action: CorrectiveAction;
      trigger: CheckResult[];
      reason: 'cooldown' | 'breaker-open';
    };

export interface StrategyInput {
  run: Pick<HealthRun, 'results' | 'reported' | 'startedAt'>;
  now: number;
  config: StrategyConfig;
}

export interface StrategyStep {
  state: StrategyState;
  /** The pending attempt's verdict, when this run judged it. */
  judgement: Judgement | null;
  decision: Decision;
}

function isActionable(result: CheckResult): boolean {
  return !OPERATOR_CHECKS.has(result.name);
}

/** Judges the pending attempt against `results` (the run after it finished). */
export function judge(pending: PendingAttempt, results: readonly CheckResult[]): Judgement {
  const stillFailing = results.filter(
    (result) => result.status === 'fail' && pending.trigger.includes(result.name),
  );
  return {
    action: pending.action,
    outcome: stillFailing.length === 0 ? 'succeeded' : 'failed',
    stillFailing,
  };
}

/**
 * One health run through the ladder: judges what is pending (and tells the breaker), then says what
 * to do next (an `act` has already been let through the breaker in the returned state).
 */
export function decide(state: StrategyState, input: StrategyInput): StrategyStep {
  const { run, now, config } = input;
  let next = state;
  let judgement: Judgement | null = null;

  if (state.pending) {
    if (state.pending.finishedAt === null)
      return { state, judgement, decision: { kind: 'none', reason: 'busy' } };
    if (run.startedAt < state.pending.finishedAt) {
      return { state, judgement, decision: { kind: 'none', reason: 'awaiting-judgement' } };
    }
    judgement = judge(state.pending, run.results);
    const failed = judgement.outcome === 'failed';
    next = {
      ...state,
      pending: null,
      rung: failed ? nextRung(state.pending.action) : 0,
      breaker: recordOutcome(state.breaker, config.breaker, failed ? 'failure' : 'success', now),
    };
  }

  const failing = run.results.filter((result) => result.status === 'fail');
  const actionable = failing.some((result) => DEPENDENCY_CHECKS.has(result.name))
    ? []
    : failing.filter(isActionable);
  if (failing.length === 0) next = { ...next, rung: 0 };

  if (run.reported === 'fail' && actionable.length > 0) {
    const action = LADDER[next.rung] ?? 'emergency-stop';
    if (next.lastActionAt !== null && now - next.lastActionAt < config.cooldownMs) {
      return {
        state: next,
        judgement,
        decision: { kind: 'blocked', action, trigger: actionable, reason: 'cooldown' },
      };
    }
    const acquired = tryAcquire(next.breaker, config.breaker, now);
    if (!acquired.allowed) {
      return {
        state: next,
        judgement,
        decision: { kind: 'blocked', action, trigger: actionable, reason: 'breaker-open' },
      };
    }
    const pending: PendingAttempt = {
      action,
      trigger: actionable.map((result) => result.name),
      startedAt: now,
      finishedAt: null,
    };
    return {
      state: { ...next, pending, lastActionAt: now, warnedKey: null, breaker: acquired.state },
      judgement,
      decision: { kind: 'act', action, trigger: actionable },
    };
  }

  if (run.reported === 'pass') {
    const reason =
      failing.length > 0 || run.results.some((r) => r.status === 'warn') ? 'not-confirmed' : 'healthy';
    return { state: { ...next, warnedKey: null }, judgement, decision: { kind: 'none', reason } };
  }

  // Reported warn, or fail with only checks an operator must fix: record it once per set of checks.
  const concerning = run.results.filter(
    (result) => result.status === 'warn' || (result.status === 'fail' && !isActionable(result)),
  );
  if (concerning.length === 0)
    return { state: next, judgement, decision: { kind: 'none', reason: 'not-confirmed' } };
  const key = concerning
    .map((result) => `${result.name}:${result.status}`)
    .sort()
    .join(',');
  if (key === next.warnedKey)
    return { state: next, judgement, decision: { kind: 'none', reason: 'unchanged-warning' } };
  const operatorChecks = concerning.filter((result) => result.status === 'fail').map((result) => result.name);
  const detail =
    operatorChecks.length > 0
      ? `failing, and no recovery action can fix it: ${operatorChecks.join(', ')} (needs an operator)`
      : `warning: ${concerning.map((result) => result.name).join(', ')}`;
  return {
    state: { ...next, warnedKey: key },
    judgement,
    decision: { kind: 'record-warning', trigger: concerning, detail },
  };
}

/** The action of the pending attempt returned. */
export function actionFinished(state: StrategyState, now: number): StrategyState {
  if (!state.pending || state.pending.finishedAt !== null) return state;
  return { ...state, pending: { ...state.pending, finishedAt: now } };
}

/** The action of the pending attempt threw: a failed attempt at once, and the ladder climbs. */
export function actionFailed(state: StrategyState, config: StrategyConfig, now: number): StrategyState {
  if (!state.pending) return state;
  return {
    ...state,
    pending: null,
    rung: nextRung(state.pending.action),
    breaker: recordOutcome(state.breaker, config.breaker, 'failure', now),
  };
}

/** The rung after `action` failed (the ladder tops out at emergency-stop). */
function nextRung(action: CorrectiveAction): number {
  return Math.min(LADDER.indexOf(action) + 1, LADDER.length - 1);
}
