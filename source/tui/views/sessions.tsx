/**
 * View 2: every Claude Code session, waiting ones first; model, tokens, cost and context columns fold
 * away on narrow panes. Enter opens a session's detail; `t` switches to tool statistics across sessions.
 */
import type { Session } from '../../protocol/session.js';
import { formatCost, formatMs, formatPercent, formatTokens, shortModel } from '../../sessions/format.js';
import { cell, cellRight, fit, formatAgo } from '../format.js';
import type { Line } from '../lines.js';
import { listedSessions } from '../state/session-list.js';
import { shortPath } from '../state/summary.js';
import { selectedSessionIndex, type TuiState } from '../state/tui-state.js';
import { windowStart } from '../state/window.js';
import type { ColorName, Theme } from '../theme.js';
import { toolStatsLines } from './tool-stats.js';

interface Column {
  name: string;
  title: string;
  width: number;
  right?: boolean;
  /** Lower folds away last; 0 never folds. */
  priority: number;
  value: (session: Session, now: number) => string;
}

const NARROW = 76;

export function stateWord(session: Session, now: number, narrow: boolean): string {
  switch (session.state) {
    case 'waiting': {
      const since = session.waitingSince ? formatMs(Math.max(0, now - Date.parse(session.waitingSince))) : '';
      return narrow ? 'WAIT' : `WAIT ${since}`.trim();
    }
    case 'active':
      return narrow ? 'live' : 'active';
    case 'failed':
      return narrow ? 'fail' : 'failed';
    case 'ended':
      return narrow ? 'end' : 'ended';
  }
}

export function stateColor(session: Session): ColorName {
  return session.state === 'waiting'
    ? 'yellow'
    : session.state === 'active'
      ? 'green'
      : session.state === 'failed'
        ? 'red'
        : 'gray';
}

const OPTIONAL: Column[] = [
  { name: 'model', title: 'model', width: 12, priority: 5, value: (s) => shortModel(s.model) },
  {
    name: 'tokens',
    title: 'tokens',
    width: 6,
    right: true,
    priority: 1,
    value: (s) => formatTokens(s.tokens, true),
  },
  { name: 'cost', title: 'cost', width: 7, right: true, priority: 4, value: (s) => formatCost(s.costUsd) },
  {
    name: 'context',
    title: 'ctx',
    width: 5,
    right: true,
    priority: 2,
    value: (s) => formatPercent(s.contextPercent),
  },
  {
    name: 'tools',
    title: 'tools',
    width: 7,
    right: true,
    priority: 3,
    value: (s) => (s.toolFailures > 0 ? `${s.toolCalls}/${s.toolFailures}` : String(s.toolCalls)),
  },
  {
    name: 'agents',
    title: 'ag',
    width: 3,
    right: true,
    priority: 6,
    value: (s) => String(s.subagents.length),
  },
];

const MIN_CWD = 12;

/** The columns that fit `width`, in display order, and the cwd's width. */
export function sessionColumns(width: number): { columns: Column[]; cwdWidth: number } {
  const narrow = width < NARROW;
  const fixed: Column[] = [
    { name: 'session', title: 'session', width: 8, priority: 0, value: (s) => s.sessionId.slice(0, 8) },
    {
      name: 'state',
      title: 'state',
      width: narrow ? 4 : 10,
      priority: 0,
      value: (s, now) => stateWord(s, now, narrow),
    },
  ];
  const active: Column = {
    name: 'active',
    title: 'active',
    width: 8,
    right: true,
    priority: 0,
    value: (s, now) => formatAgo(now - Date.parse(s.lastEventAt)),
  };
  // 1 for the selection marker, and one space after every column.
  let used = 1 + [...fixed, active].reduce((sum, column) => sum + column.width + 1, 0);
  const kept = new Set<string>();
  if (!narrow)
    for (const column of [...OPTIONAL].sort((a, b) => a.priority - b.priority)) {
      if (used + column.width + 1 + MIN_CWD > width) continue;
      kept.add(column.name);
      used += column.width + 1;
    }
  const columns = [...fixed, ...OPTIONAL.filter((column) => kept.has(column.name)), active];
  return { columns, cwdWidth: Math.max(6, width - used - 1) };
}

function shortHome(path: string): string {
  const home = process.env.HOME;
  if (!home) return path;
  if (path === home) return '~';
  return path.startsWith(`${home}/`) ? `~/${shortPath(path, home)}` : path;
}

export function sessionsLines(state: TuiState, theme: Theme, width: number, height: number): Line[] {
  if (state.ui.sessionsPane === 'tools') return toolStatsLines(state, theme, width, height);
  const sessions = listedSessions(state);
  const { columns, cwdWidth } = sessionColumns(width);
  const title =
    ' ' +
    columns
      .map((column) =>
        column.right ? cellRight(column.title, column.width) : cell(column.title, column.width),
      )
      .join(' ') +
    ' ' +
    cell('cwd', cwdWidth);
  const lines: Line[] = [[{ text: fit(title, width), bold: true, dim: true }]];
  if (sessions.length === 0) {
    lines.push([{ text: ' no sessions yet', dim: true }]);
    return lines;
  }
  const listHeight = Math.max(1, height - 2);
  const selected = selectedSessionIndex(state.ui, sessions);
  const start = windowStart(0, selected, listHeight, sessions.length);
  const ellipsis = theme.symbols.ellipsis;
  for (let index = start; index < Math.min(sessions.length, start + listHeight); index += 1) {
    const session = sessions[index]!;
    const isSelected = index === selected;
    const line: Line = [{ text: isSelected ? theme.symbols.selected : ' ', inverse: isSelected }];
    for (const column of columns) {
      const value = column.value(session, state.now);
      const text = `${column.right ? cellRight(value, column.width) : cell(value, column.width, ellipsis)} `;
      if (column.name === 'state')
        line.push({
          text,
          color: stateColor(session),
          bold: session.state === 'waiting',
          inverse: isSelected,
        });
      else if (column.name === 'tools' && session.toolFailures > 0)
        line.push({ text, color: 'red', inverse: isSelected });
      else line.push({ text, inverse: isSelected, dim: column.name === 'active' && !isSelected });
    }
    line.push({
      text: cell(session.cwd ? shortHome(session.cwd) : '-', cwdWidth, ellipsis),
      inverse: isSelected,
    });
    lines.push(line);
  }
  const waiting = sessions.filter((session) => session.state === 'waiting').length;
  lines.push([
    {
      text: ` ${sessions.length} session(s)${waiting > 0 ? ` · ${waiting} waiting for you` : ''} · Enter details · t tool statistics`,
      dim: true,
    },
  ]);
  return lines;
}
