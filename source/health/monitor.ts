/**
 * Runs every check every `health.intervalMs`, each under its own timeout, never two runs at once;
 * keeps the per-check history; reports the overall status with hysteresis.
 *
 * Order of one run: all checks in parallel → history → hysteresis → `onRun(run)` (the recovery manager
 * decides here) → the report is built (with `annotate()`, e.g. the breaker state) → `onReport(report)`
 * (the daemon pushes it to viewers as `health`).
 */
import type { Config } from '../config/schema.js';
import { HealthCheckError } from '../errors/health-errors.js';
import type { CheckHistory, CheckResult, HealthReport } from '../protocol/health.js';
import { applyHysteresis, INITIAL_HYSTERESIS, round, worstStatus, type HysteresisState } from './evaluate.js';
import { HealthHistory } from './history.js';
import type { HealthCheck, HealthRun } from './types.js';

export interface HealthMonitorOptions {
  config: Pick<Config['health'], 'intervalMs' | 'historySize' | 'hysteresisRuns' | 'checkTimeoutMs'>;
  checks: readonly HealthCheck[];
  version: string;
  /** Epoch ms the daemon started (uptime); defaults to when the monitor was created. */
  startedAt?: number;
  now?: () => number;
  /** After each run, before its report: the recovery manager's `handleRun`. Must not throw. */
  onRun?: (run: HealthRun) => void;
  /** Extra fields for every report (breaker state, degraded). */
  annotate?: () => Pick<HealthReport, 'breaker' | 'degraded'>;
  /** Every report, once per run: push it to viewers as `health`. */
  onReport?: (report: HealthReport) => void;
  /** A check threw or timed out (for the daemon log). */
  onCheckError?: (error: HealthCheckError) => void;
}

export interface HealthMonitor {
  /** Runs once now, then every intervalMs (the timer does not keep the process alive). */
  start: () => void;
  /** Stops the timer and closes the checks; a run in progress finishes but reports nothing. */
  stop: () => void;
  /** Runs now; while a run is in progress, returns that run instead of starting another. */
  runNow: () => Promise<HealthRun>;
  /** The latest run as a report, annotated now (GET /health); before the first run: pass, no checks. */
  latest: () => HealthReport;
  /** The latest run's raw data; null before the first run. */
  latestRun: () => HealthRun | null;
  /** Per-check history (GET /diagnostics). */
  history: () => Record<string, CheckHistory>;
}

/** Runs one check with a timeout; a throw or a timeout becomes one `fail` result named after the check. */
export async function runCheck(
  check: HealthCheck,
  timeoutMs: number,
  now: () => number,
): Promise<{ results: CheckResult[]; error: HealthCheckError | null }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check.run(controller.signal), timedOut]);
    if (outcome !== 'timeout') return { results: outcome, error: null };
    controller.abort();
    const error = new HealthCheckError({ check: check.name, reason: 'timeout', timeoutMs });
    return { results: [failedResult(check.name, `timed out after ${timeoutMs} ms`, now)], error };
  } catch (cause) {
    controller.abort();
    const error = new HealthCheckError({ check: check.name, reason: 'threw', timeoutMs, cause });
    return { results: [failedResult(check.name, error.message, now)], error };
  } finally {
    clearTimeout(timer);
  }
}

function failedResult(name: string, output: string, now: () => number): CheckResult {
  return {
    name,
    status: 'fail',
    observedValue: null,
    observedUnit: '',
    threshold: null,
    output,
    time: new Date(now()).toISOString(),
  };
}

export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const now = options.now ?? Date.now;
  const { intervalMs, hysteresisRuns, checkTimeoutMs } = options.config;
  const startedAt = options.startedAt ?? now();
  const history = new HealthHistory(options.config.historySize);
  let hysteresis: HysteresisState = INITIAL_HYSTERESIS;
  let runCount = 0;
  let lastRun: HealthRun | null = null;
  let inFlight: Promise<HealthRun> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const buildReport = (run: HealthRun | null): HealthReport => {
    const checks: Record<string, CheckResult> = {};
    for (const result of run?.results ?? []) checks[result.name] = result;
    return {
      status: run?.reported ?? 'pass',
      version: options.version,
      uptimeSeconds: round((now() - startedAt) / 1000, 0),
      checks,
      ...options.annotate?.(),
    };
  };

  const execute = async (): Promise<HealthRun> => {
    const started = now();
    const outcomes = await Promise.all(options.checks.map((check) => runCheck(check, checkTimeoutMs, now)));
    const results = outcomes.flatMap((outcome) => outcome.results);
    for (const { error } of outcomes) if (error) options.onCheckError?.(error);
    for (const result of results) history.add(result);
    const observed = worstStatus(results.map((result) => result.status));
    hysteresis = applyHysteresis(hysteresis, observed, hysteresisRuns);
    const run: HealthRun = {
      index: ++runCount,
      startedAt: started,
      finishedAt: now(),
      results,
      observed,
      reported: hysteresis.reported ?? observed,
    };
    lastRun = run;
    if (stopped) return run;
    try {
      options.onRun?.(run);
    } finally {
      options.onReport?.(buildReport(run));
    }
    return run;
  };

  const runNow = (): Promise<HealthRun> => {
    inFlight ??= execute().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  const tick = (): void => {
    if (inFlight) return; // never overlap: a slow run makes the next tick skip
    runNow().catch(() => undefined);
  };

  return {
    start(): void {
      if (timer || stopped) return;
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop(): void {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      for (const check of options.checks) check.close?.();
    },
    runNow,
    latest: () => buildReport(lastRun),
    latestRun: () => lastRun,
    history: () => history.all(),
  };
}
