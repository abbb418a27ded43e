/** The Sessions view's `t` pane: per tool across every session — calls, failures, p50/p95 duration. */
import type { ToolStat } from '../../protocol/session.js';
import { alignColumns, toolTableRows } from '../../sessions/format.js';
import { toolStatsAcross } from '../../sessions/index.js';
import { fit } from '../format.js';
import type { Line } from '../lines.js';
import type { TuiState } from '../state/tui-state.js';
import type { Theme } from '../theme.js';

/** This viewer's live figures, or the daemon's when it has seen more calls (it holds every session). */
export function toolStatsOf(state: TuiState): ToolStat[] {
  const local = toolStatsAcross(state.sessions.byId.values());
  const daemon = state.daemonSessions?.tools ?? [];
  const calls = (stats: readonly ToolStat[]) => stats.reduce((sum, stat) => sum + stat.calls, 0);
  return calls(daemon) > calls(local) ? daemon : local;
}

export function toolStatsLines(state: TuiState, theme: Theme, width: number, height: number): Line[] {
  const stats = toolStatsOf(state);
  const lines: Line[] = [
    [{ text: ' Tool statistics across sessions  (t: back to the sessions)', bold: true }],
  ];
  if (stats.length === 0) {
    lines.push([{ text: ' no tool calls yet', dim: true }]);
    return lines;
  }
  const [header, ...rows] = alignColumns(toolTableRows(stats));
  lines.push([{ text: fit(` ${header}`, width, theme.symbols.ellipsis), bold: true, dim: true }]);
  rows.slice(0, Math.max(0, height - 2)).forEach((row, index) => {
    const failed = stats[index]!.failures > 0;
    lines.push([{ text: fit(` ${row}`, width, theme.symbols.ellipsis), color: failed ? 'red' : undefined }]);
  });
  return lines;
}
