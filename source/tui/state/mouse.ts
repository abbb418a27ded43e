/** What a mouse report does on the screen as laid out: the wheel scrolls, a click picks a tab or a row. Pure. */
import type { MouseReport } from './input.js';
import type { TuiAction, UiState, ViewName } from './tui-state.js';

export interface TabSpan {
  view: ViewName;
  /** Columns [from, to) of the tab on the tabs row. */
  from: number;
  to: number;
}

export interface ScreenLayout {
  /** The row the tabs are on (0-based). */
  tabsRow: number;
  /** The first row of the body. */
  bodyTop: number;
  bodyHeight: number;
  tabs: readonly TabSpan[];
}

/** Rows the wheel moves per notch. */
export const WHEEL_ROWS = 3;

/** Rows above a list inside the body (its title line), and the list's height. */
export function listArea(bodyHeight: number, view: ViewName): { top: number; height: number } {
  // The Sessions list keeps its last row for the count line.
  return view === 'sessions'
    ? { top: 1, height: Math.max(1, bodyHeight - 2) }
    : { top: 1, height: bodyHeight - 1 };
}

export function mouseAction(report: MouseReport, ui: UiState, layout: ScreenLayout): TuiAction | null {
  if (report.kind === 'wheel')
    return { type: 'move', delta: report.delta * WHEEL_ROWS, pageSize: layout.bodyHeight };
  // While a prompt is open the keyboard owns the screen: a click neither switches view nor moves.
  if (report.kind !== 'press' || report.button !== 0 || ui.filterDraft !== null) return null;
  if (report.row === layout.tabsRow) {
    const tab = layout.tabs.find((span) => report.column >= span.from && report.column < span.to);
    return tab ? { type: 'view', view: tab.view } : null;
  }
  if (ui.overlay) return null;
  if (ui.view !== 'events' && !(ui.view === 'sessions' && ui.sessionsPane === 'list')) return null;
  const area = listArea(layout.bodyHeight, ui.view);
  const row = report.row - layout.bodyTop - area.top;
  if (row < 0 || row >= area.height) return null;
  return { type: 'selectRow', row, pageSize: area.height };
}
