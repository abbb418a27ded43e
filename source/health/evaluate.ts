/**
 * Pure judgement of health figures: a value against its thresholds, the worst of several statuses,
 * and the hysteresis that keeps a single spike from flipping the reported overall status.
 */
import type { CheckStatus, Threshold } from '../protocol/health.js';

const SEVERITY: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function severity(status: CheckStatus): number {
  return SEVERITY[status];
}

/**
 * Status of `value` against `threshold`. Higher is worse unless `lowerIsWorse` (e.g. free disk space).
 * A value that could not be measured (null) or a check without thresholds is not judged: pass.
 */
export function statusFor(
  value: number | null,
  threshold: Threshold | null,
  lowerIsWorse = false,
): CheckStatus {
  if (value === null || !Number.isFinite(value) || threshold === null) return 'pass';
  if (lowerIsWorse) {
    if (value <= threshold.fail) return 'fail';
    if (value <= threshold.warn) return 'warn';
    return 'pass';
  }
  if (value >= threshold.fail) return 'fail';
  if (value >= threshold.warn) return 'warn';
  return 'pass';
}

/** The worst of `statuses`; pass when there are none. */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'pass';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}

export interface HysteresisState {
  /** What is reported; null before the first run. */
  reported: CheckStatus | null;
  /** A different status seen lately, waiting to hold long enough to be reported. */
  candidate: CheckStatus | null;
  /** Consecutive runs the candidate has held. */
  streak: number;
}

export const INITIAL_HYSTERESIS: HysteresisState = { reported: null, candidate: null, streak: 0 };

/**
 * Feeds one run's observed overall status. A new status is reported only once it held for `runs`
 * consecutive runs, in either direction (fail→pass too); the first run is reported as is.
 */
export function applyHysteresis(
  state: HysteresisState,
  observed: CheckStatus,
  runs: number,
): HysteresisState {
  if (state.reported === null || observed === state.reported) {
    return { reported: observed, candidate: null, streak: 0 };
  }
  const streak = observed === state.candidate ? state.streak + 1 : 1;
  if (streak >= runs) return { reported: observed, candidate: null, streak: 0 };
  return { reported: state.reported, candidate: observed, streak };
}

/** Rounds a figure for display and the wire (no 17-digit floats in /health). */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
