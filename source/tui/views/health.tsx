/** View 3: every health check: status, value against its thresholds, a sparkline, when it last changed. */
import type { CheckResult } from '../../protocol/health.js';
import { cell, cellRight, fit, formatAgo, formatUptime, wrapWords } from '../format.js';
import type { Line } from '../lines.js';
import { sparkline } from '../state/health-history.js';
import type { TuiState } from '../state/tui-state.js';
import { statusColor, statusSymbol, type Theme } from '../theme.js';

function formatValue(check: CheckResult): string {
  if (check.observedValue === null) return '-';
  const value = check.observedValue;
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) < 1 ? 3 : 1;
  const unit = SHORT_UNITS[check.observedUnit] ?? check.observedUnit;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** Units as the narrow value column shows them (the check's output line says it in full). */
const SHORT_UNITS: Record<string, string> = {
  descriptors: 'fds',
  errors: 'err',
  'write errors': 'err',
  'refusals/s': 'ref/s',
  'events/s': 'ev/s',
  viewers: 'vw',
};

const MIN_SPARK = 6;

/** Check names are never cut when the pane has room for them: the history sparkline gives way first. */
export function healthColumns(width: number, names: readonly string[]) {
  const narrow = width < 76;
  const valueWidth = narrow ? 10 : width >= 96 ? 14 : 12;
  const thresholdWidth = narrow ? 0 : 12;
  const changedWidth = 8;
  const fixed = 3 + valueWidth + thresholdWidth + changedWidth + 5;
  const longest = Math.max(5, ...names.map((name) => Array.from(name).length));
  const nameWidth = Math.max(8, Math.min(longest, width - fixed - MIN_SPARK));
  const sparkWidth = Math.max(4, width - fixed - nameWidth);
  return { nameWidth, valueWidth, thresholdWidth, changedWidth, sparkWidth };
}

export function healthLines(state: TuiState, theme: Theme, width: number): Line[] {
  const report = state.health;
  if (!report)
    return [[{ text: ' no health report yet (the daemon sends one every health interval)', dim: true }]];
  const lines: Line[] = [
    [
      { text: ' overall ' },
      {
        text: `${statusSymbol(theme, report.status)} ${report.status}`,
        color: statusColor(report.status),
        bold: true,
      },
      {
        text: fit(
          `  version ${report.version} · up ${formatUptime(report.uptimeSeconds)}${report.degraded ? ' · DEGRADED' : ''}`,
          Math.max(0, width - 16),
        ),
      },
    ],
  ];
  const { nameWidth, valueWidth, thresholdWidth, changedWidth, sparkWidth } = healthColumns(
    width,
    Object.keys(report.checks),
  );
  lines.push([
    {
      text: fit(
        `   ${cell('check', nameWidth)} ${cellRight('value', valueWidth)} ${thresholdWidth ? cellRight('warn/fail', thresholdWidth) + ' ' : ''}${cell('history', sparkWidth)} ${cellRight('changed', changedWidth)}`,
        width,
      ),
      bold: true,
      dim: true,
    },
  ]);
  for (const [name, check] of Object.entries(report.checks).sort(([a], [b]) => a.localeCompare(b))) {
    const history = state.healthHistory.checks[name];
    const threshold = check.threshold ? `${check.threshold.warn}/${check.threshold.fail}` : '-';
    const changed = history ? formatAgo(state.now - Date.parse(history.changedAt)).replace(' ago', '') : '';
    lines.push([
      { text: ` ${statusSymbol(theme, check.status)} `, color: statusColor(check.status) },
      { text: `${cell(name, nameWidth, theme.symbols.ellipsis)} ` },
      {
        text: cellRight(formatValue(check), valueWidth) + ' ',
        color: check.status === 'pass' ? undefined : statusColor(check.status),
      },
      { text: thresholdWidth ? cellRight(threshold, thresholdWidth) + ' ' : '', dim: true },
      {
        text: cell(sparkline(history?.values ?? [], sparkWidth, theme.ascii), sparkWidth) + ' ',
        color: statusColor(check.status),
      },
      { text: cellRight(changed, changedWidth), dim: true },
    ]);
    if (check.status !== 'pass' && check.output) {
      for (const text of wrapWords(check.output, Math.max(10, width - 6)))
        lines.push([{ text: `     ${text}`, dim: true }]);
    }
  }
  return lines;
}
