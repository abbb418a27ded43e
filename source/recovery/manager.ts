/**
 * The recovery shell: feeds each health run to the strategy, lets attempts through the breaker, calls
 * the daemon's actions, and keeps (and pushes) the bounded recovery log.
 *
 * Plug `handleRun` into the monitor's `onRun`, and `annotate` into its `annotate`. Actions run without
 * blocking the monitor; the entry of an attempt is pushed twice through `onEntry` — once `pending` when
 * it starts, once more (same id) with its verdict — so viewers should upsert entries by id.
 */
import type { Config } from '../config/schema.js';
import type { Logger } from '../instance/logger-types.js';
import { RecoveryFailedError } from '../errors/health-errors.js';
import type { HealthRun } from '../health/types.js';
import type {
  BreakerSnapshot,
  BreakerStateName,
  CheckResult,
  HealthReport,
  RecoveryEntry,
} from '../protocol/health.js';
import { breakerSnapshot } from './breaker.js';
import {
  actionFailed,
  actionFinished,
  decide,
  INITIAL_STRATEGY,
  type CorrectiveAction,
  type StrategyConfig,
  type StrategyState,
} from './strategy.js';

/** What the daemon does for recovery. Each resolves with a short description of what it did. */
export interface RecoveryActions {
  /** Drop stale and lagging viewers, trim what can be trimmed; never healthy viewers. */
  clearConnections(): Promise<string>;
  /**
   * Close and reopen the HTTP/Socket.IO listener in-process on the same port, then prove an event
   * flows end to end; reject when it does not (the attempt then counts as failed at once).
   */
  restartService(): Promise<string>;
  /** Graceful shutdown, PID file removed, exit code 75. */
  emergencyStop(reason: string): Promise<void>;
}

export interface RecoveryManagerOptions {
  config: Pick<Config['recovery'], 'enabled' | 'cooldownMs' | 'breaker'>;
  actions: RecoveryActions;
  now?: () => number;
  /** Entries kept in the log (oldest dropped). */
  logSize?: number;
  /** Every new or updated entry: push it to viewers as `recovery`. */
  onEntry?: (entry: RecoveryEntry) => void;
  logger?: Logger;
}

export type AttemptCounts = Record<
  CorrectiveAction,
  Record<'succeeded' | 'failed' | 'skipped-breaker-open', number>
>;

export interface RecoveryManager {
  /** Feed one health run (the monitor's `onRun`). Never throws; actions run in the background. */
  handleRun: (run: HealthRun) => void;
  /** The recovery log, oldest first. */
  log: () => RecoveryEntry[];
  /** The breaker as of now (reading never changes it). */
  breaker: () => BreakerSnapshot;
  /** True while the breaker is not closed: recovery has given up for now and the daemon serves degraded. */
  degraded: () => boolean;
  /** Fields for every health report (the monitor's `annotate`). */
  annotate: () => Pick<HealthReport, 'breaker' | 'degraded'>;
  /** Attempts by action and verdict since start (for /metrics). */
  attemptCounts: () => AttemptCounts;
  /** Resolves when no action is running (tests, shutdown). */
  idle: () => Promise<void>;
}

function emptyCounts(): AttemptCounts {
  const zero = (): Record<'succeeded' | 'failed' | 'skipped-breaker-open', number> => ({
    succeeded: 0,
    failed: 0,
    'skipped-breaker-open': 0,
  });
  return { 'clear-connections': zero(), 'restart-service': zero(), 'emergency-stop': zero() };
}

function triggerOf(results: readonly CheckResult[]): RecoveryEntry['trigger'] {
  return results.map((result) => ({
    check: result.name,
    status: result.status,
    observedValue: result.observedValue,
    observedUnit: result.observedUnit,
  }));
}

export function createRecoveryManager(options: RecoveryManagerOptions): RecoveryManager {
  const now = options.now ?? Date.now;
  const config: StrategyConfig = { cooldownMs: options.config.cooldownMs, breaker: options.config.breaker };
  const logSize = options.logSize ?? 200;
  const entries: RecoveryEntry[] = [];
  const counts = emptyCounts();
  let state: StrategyState = INITIAL_STRATEGY;
  let nextId = 1;
  let pendingEntry: RecoveryEntry | null = null;
  let running: Promise<void> | null = null;
  /** Set once emergency-stop was called: the daemon is going away, nothing else is decided. */
  let stopping = false;
  /** The breaker opening already logged as `skipped-breaker-open`, so one is logged per opening. */
  let skipNotedFor: number | null = null;

  const snapshot = (at: number): BreakerSnapshot => breakerSnapshot(state.breaker, config.breaker, at);

  const publish = (entry: RecoveryEntry): void => {
    try {
      options.onEntry?.({ ...entry, trigger: [...entry.trigger] });
    } catch (error) {
      options.logger?.error('recovery entry could not be pushed', { error: String(error) });
    }
  };

  const append = (entry: Omit<RecoveryEntry, 'id'>): RecoveryEntry => {
    const full: RecoveryEntry = { id: nextId++, ...entry };
    entries.push(full);
    if (entries.length > logSize) entries.shift();
    publish(full);
    return full;
  };

  /** Records a verdict already applied to the breaker: counts, log line, the entry updated and pushed. */
  const settle = (
    entry: RecoveryEntry,
    action: CorrectiveAction,
    outcome: 'succeeded' | 'failed',
    checks: string[],
    detail: string,
    at: number,
    breakerBefore: BreakerStateName,
  ): void => {
    counts[action][outcome]++;
    entry.outcome = outcome;
    entry.detail = detail;
    entry.durationMs = Math.max(0, at - Date.parse(entry.at));
    entry.breaker = snapshot(at).state;
    publish(entry);
    if (outcome === 'succeeded') {
      options.logger?.info('recovery succeeded', { action, detail });
      return;
    }
    const error = new RecoveryFailedError({
      action,
      checks,
      detail,
      failures: state.breaker.failures,
      breaker: state.breaker.name,
      nextTrialAt: snapshot(at).nextTrialAt,
    });
    const opened = state.breaker.name === 'open' && breakerBefore !== 'open';
    options.logger?.[opened ? 'error' : 'warn'](error.message, error.context);
  };

  const start = (action: CorrectiveAction, trigger: CheckResult[], at: number): void => {
    const entry = append({
      at: new Date(at).toISOString(),
      trigger: triggerOf(trigger),
      action,
      outcome: 'pending',
      durationMs: 0,
      breaker: snapshot(at).state,
      detail: 'running; judged at the next health run',
    });
    pendingEntry = entry;
    const checks = trigger.map((result) => result.name);
    if (action === 'emergency-stop') stopping = true;
    const call =
      action === 'clear-connections'
        ? options.actions.clearConnections()
        : action === 'restart-service'
          ? options.actions.restartService()
          : options.actions
              .emergencyStop(`recovery: ${checks.join(', ')} failing`)
              .then(() => 'emergency stop under way (exit 75)');
    running = call
      .then(
        (detail) => {
          state = actionFinished(state, now());
          entry.detail = action === 'emergency-stop' ? detail : `${detail}; judged at the next health run`;
          publish(entry);
        },
        (error: unknown) => {
          const failedAt = now();
          const detail = `the action failed: ${error instanceof Error ? error.message : String(error)}`;
          const before = state.breaker.name;
          state = actionFailed(state, config, failedAt);
          pendingEntry = null;
          stopping = false;
          settle(entry, action, 'failed', checks, detail, failedAt, before);
        },
      )
      .finally(() => {
        running = null;
      });
  };

  const handleRun = (run: HealthRun): void => {
    if (!options.config.enabled || stopping) return;
    const at = now();
    const before = state.breaker.name;
    const step = decide(state, { run, now: at, config });
    state = step.state;
    if (step.judgement && pendingEntry) {
      const { judgement } = step;
      const ok = judgement.outcome === 'succeeded';
      const detail = ok
        ? 'the triggering checks pass again at the next run'
        : `still failing at the next run: ${judgement.stillFailing.map((r) => `${r.name} (${r.output})`).join('; ')}`;
      const checks = judgement.stillFailing.map((r) => r.name);
      settle(pendingEntry, judgement.action, judgement.outcome, checks, detail, at, before);
      pendingEntry = null;
    }
    const { decision } = step;
    switch (decision.kind) {
      case 'none':
        return;
      case 'record-warning':
        append({
          at: new Date(at).toISOString(),
          trigger: triggerOf(decision.trigger),
          action: 'record-warning',
          outcome: 'recorded',
          durationMs: 0,
          breaker: snapshot(at).state,
          detail: decision.detail,
        });
        return;
      case 'blocked': {
        if (decision.reason !== 'breaker-open' || skipNotedFor === state.breaker.openedAt) return;
        skipNotedFor = state.breaker.openedAt;
        counts[decision.action]['skipped-breaker-open']++;
        const view = snapshot(at);
        append({
          at: new Date(at).toISOString(),
          trigger: triggerOf(decision.trigger),
          action: decision.action,
          outcome: 'skipped-breaker-open',
          durationMs: 0,
          breaker: view.state,
          detail: `circuit breaker open after ${state.breaker.failures} failed attempts: serving degraded; next trial at ${view.nextTrialAt ?? '?'}`,
        });
        return;
      }
      case 'act':
        start(decision.action, decision.trigger, at);
        return;
    }
  };

  return {
    handleRun(run: HealthRun): void {
      try {
        handleRun(run);
      } catch (error) {
        options.logger?.error('recovery manager failed on a health run', { error: String(error) });
      }
    },
    log: () => entries.map((entry) => ({ ...entry, trigger: [...entry.trigger] })),
    breaker: () => snapshot(now()),
    degraded: () => state.breaker.name !== 'closed',
    annotate: () => ({ breaker: snapshot(now()), degraded: state.breaker.name !== 'closed' }),
    attemptCounts: () => JSON.parse(JSON.stringify(counts)) as AttemptCounts,
    idle: async () => {
      while (running) await running;
    },
  };
}
