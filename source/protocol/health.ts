/** Health and recovery shapes shared by /health, /diagnostics, the `health`/`recovery` messages and the TUI. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface Threshold {
  warn: number;
  fail: number;
}

/** One check's result, in the shape of the IETF health-check draft. */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  observedValue: number | null;
  observedUnit: string;
  threshold: Threshold | null;
  output: string;
  /** ISO-8601 time of the run. */
  time: string;
}

export type BreakerStateName = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: BreakerStateName;
  failures: number;
  /** ISO time when an open breaker lets one trial through; null otherwise. */
  nextTrialAt: string | null;
  openedAt: string | null;
}

/** GET /health body and the `health` message. */
export interface HealthReport {
  status: CheckStatus;
  version: string;
  uptimeSeconds: number;
  checks: Record<string, CheckResult>;
  breaker?: BreakerSnapshot;
  /** Set when recovery has given up (breaker open) and the daemon serves degraded. */
  degraded?: boolean;
}

export type RecoveryAction = 'record-warning' | 'clear-connections' | 'restart-service' | 'emergency-stop';
export type RecoveryOutcome = 'pending' | 'succeeded' | 'failed' | 'skipped-breaker-open' | 'recorded';

/** One entry of the recovery log, pushed as `recovery`. */
export interface RecoveryEntry {
  id: number;
  at: string;
  trigger: Array<{ check: string; status: CheckStatus; observedValue: number | null; observedUnit: string }>;
  action: RecoveryAction;
  outcome: RecoveryOutcome;
  durationMs: number;
  breaker: BreakerStateName;
  detail?: string;
}

/** One past result of a check, compact (kept `health.historySize` times per check). */
export interface HealthHistoryPoint {
  time: string;
  status: CheckStatus;
  observedValue: number | null;
}

/** A check's history, for /diagnostics: its latest full result, when its status last changed, points oldest first. */
export interface CheckHistory {
  latest: CheckResult;
  /** ISO time of the last status change; null while it never changed. */
  lastChangedAt: string | null;
  points: HealthHistoryPoint[];
}
