/** View 4: the recovery timeline (newest first) and the circuit breaker's state and next trial. */
import { cell, clockTime, fit, formatUptime } from '../format.js';
import type { Line } from '../lines.js';
import type { TuiState } from '../state/tui-state.js';
import type { ColorName, Theme } from '../theme.js';

const OUTCOME_COLORS: Record<string, ColorName> = {
  succeeded: 'green',
  recorded: 'cyan',
  pending: 'yellow',
  failed: 'red',
  'skipped-breaker-open': 'red',
};

export function recoveryLines(state: TuiState, theme: Theme, width: number): Line[] {
  const breaker = state.health?.breaker;
  const lines: Line[] = [];
  if (breaker) {
    const color: ColorName =
      breaker.state === 'closed' ? 'green' : breaker.state === 'open' ? 'red' : 'yellow';
    const nextTrial =
      breaker.nextTrialAt !== null
        ? ` · next trial in ${formatUptime(Math.max(0, (Date.parse(breaker.nextTrialAt) - state.now) / 1000))} (${clockTime(breaker.nextTrialAt)})`
        : '';
    lines.push([
      { text: ' breaker ' },
      { text: breaker.state, color, bold: true },
      { text: fit(` · failures ${breaker.failures}${nextTrial}`, Math.max(0, width - 20)) },
    ]);
  } else {
    lines.push([{ text: ' breaker: not reported yet', dim: true }]);
  }
  const narrow = width < 76;
  const actionWidth = narrow ? 12 : 18;
  const outcomeWidth = narrow ? 9 : 20;
  lines.push([
    {
      text: fit(
        ` ${cell('time', 8)} ${cell('action', actionWidth)} ${cell('outcome', outcomeWidth)} trigger`,
        width,
      ),
      bold: true,
      dim: true,
    },
  ]);
  if (state.recovery.length === 0) {
    lines.push([
      { text: ' no recovery attempts: the daemon has needed none since this viewer attached', dim: true },
    ]);
    return lines;
  }
  for (const entry of [...state.recovery].reverse()) {
    const trigger = entry.trigger
      .map(
        (item) =>
          `${item.check}=${item.observedValue ?? '-'}${item.observedUnit ? item.observedUnit : ''} (${item.status})`,
      )
      .join(', ');
    const triggerWidth = Math.max(0, width - 4 - 8 - actionWidth - outcomeWidth);
    lines.push([
      { text: ` ${clockTime(entry.at)} ` },
      { text: `${cell(entry.action, actionWidth, theme.symbols.ellipsis)} `, bold: true },
      {
        text: `${cell(entry.outcome, outcomeWidth, theme.symbols.ellipsis)} `,
        color: OUTCOME_COLORS[entry.outcome],
      },
      {
        text: cell(
          `${trigger}${entry.detail ? ` · ${entry.detail}` : ''} · ${entry.durationMs}ms`,
          triggerWidth,
          theme.symbols.ellipsis,
        ),
        dim: true,
      },
    ]);
  }
  return lines;
}
