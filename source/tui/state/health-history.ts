/** Per-check history of observed values and statuses, for sparklines and "changed 3m ago". Bounded. */
import type { CheckStatus, HealthReport } from '../../protocol/health.js';

export interface CheckHistory {
  values: readonly (number | null)[];
  status: CheckStatus;
  /** ISO time the status last changed (the first report counts as a change). */
  changedAt: string;
}

export interface HealthHistory {
  readonly checks: Readonly<Record<string, CheckHistory>>;
  readonly limit: number;
}

export function createHealthHistory(limit: number): HealthHistory {
  return { checks: {}, limit };
}

export function recordHealth(history: HealthHistory, report: HealthReport): HealthHistory {
  const checks: Record<string, CheckHistory> = { ...history.checks };
  for (const [name, check] of Object.entries(report.checks)) {
    const known = checks[name];
    const values = [...(known?.values ?? []), check.observedValue].slice(-history.limit);
    checks[name] = {
      values,
      status: check.status,
      changedAt: known && known.status === check.status ? known.changedAt : check.time,
    };
  }
  return { checks, limit: history.limit };
}

const BARS_UNICODE = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const BARS_ASCII = ['_', '.', ':', '-', '=', '+', '*', '#'];

/** The last `width` values as bars scaled between their min and max; a missing value is a space. */
export function sparkline(
  values: readonly (number | null)[],
  width: number,
  ascii: boolean,
  /** Scale from this value instead of the minimum (a rate: from 0, so an idle stream reads flat and low). */
  floor?: number,
): string {
  const bars = ascii ? BARS_ASCII : BARS_UNICODE;
  const shown = values.slice(-Math.max(0, width));
  const numbers = shown.filter((value): value is number => value !== null && Number.isFinite(value));
  if (numbers.length === 0) return ' '.repeat(shown.length);
  const min = floor ?? Math.min(...numbers);
  const max = Math.max(...numbers);
  return shown
    .map((value) => {
      if (value === null || !Number.isFinite(value)) return ' ';
      if (max === min) return bars[floor === undefined ? 3 : 0]!;
      return bars[Math.round(((value - min) / (max - min)) * (bars.length - 1))]!;
    })
    .join('');
}
