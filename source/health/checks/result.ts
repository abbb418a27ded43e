/** Builds one judged CheckResult from a measurement and its thresholds. */
import type { CheckResult, CheckStatus, Threshold } from '../../protocol/health.js';
import { round, statusFor } from '../evaluate.js';

export interface Measurement {
  name: string;
  value: number | null;
  unit: string;
  output: string;
  threshold?: Threshold | null;
  lowerIsWorse?: boolean;
  /** Overrides the threshold judgement (e.g. a probe that did not arrive is a fail whatever its latency). */
  status?: CheckStatus;
}

export function judged(measurement: Measurement, time: string): CheckResult {
  const threshold = measurement.threshold ?? null;
  const value = measurement.value === null ? null : round(measurement.value);
  return {
    name: measurement.name,
    status: measurement.status ?? statusFor(value, threshold, measurement.lowerIsWorse ?? false),
    observedValue: value,
    observedUnit: measurement.unit,
    threshold: threshold ? { warn: threshold.warn, fail: threshold.fail } : null,
    output: measurement.output,
    time,
  };
}

export function isoNow(now: () => number): string {
  return new Date(now()).toISOString();
}
