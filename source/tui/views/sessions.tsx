/** View 2: every Claude Code session seen, active first; Enter filters Events to the selected one. */
import { cell, cellRight, clockTime, fit, formatAgo } from '../format.js';
import type { Line } from '../lines.js';
import { sortedSessions } from '../state/sessions.js';
import { shortPath } from '../state/summary.js';
import type { TuiState } from '../state/tui-state.js';
import { windowStart } from '../state/window.js';
import { shortType, type Theme } from '../theme.js';

export function sessionsLines(state: TuiState, theme: Theme, width: number, height: number): Line[] {
  const sessions = sortedSessions(state.sessions);
  const narrow = width < 76;
  const idWidth = 8;
  const stateWidth = narrow ? 4 : 7;
  const timeWidth = 8;
  const activeWidth = 8;
  const countsWidth = narrow ? 0 : Math.min(34, Math.floor(width / 3));
  const cwdWidth = Math.max(6, width - 1 - idWidth - stateWidth - timeWidth - activeWidth - countsWidth - 6);
  const title = ` ${cell('session', idWidth)} ${cell(narrow ? 'st' : 'state', stateWidth)} ${cell('started', timeWidth)} ${cell('active', activeWidth)} ${cell('cwd', cwdWidth)} ${countsWidth ? cell('counts', countsWidth) : ''}`;
  const lines: Line[] = [[{ text: fit(title, width), bold: true, dim: true }]];
  if (sessions.length === 0) {
    lines.push([{ text: ' no sessions yet', dim: true }]);
    return lines;
  }
  const listHeight = Math.max(1, height - 2);
  const selected = Math.min(state.ui.sessionIndex, sessions.length - 1);
  const start = windowStart(0, selected, listHeight, sessions.length);
  for (let index = start; index < Math.min(sessions.length, start + listHeight); index += 1) {
    const session = sessions[index]!;
    const isSelected = index === selected;
    const counts = Object.entries(session.counts)
      .sort((a, b) => b[1] - a[1])
      .map(([type, count]) => `${shortType(type)} ${count}`)
      .join(' ');
    const stateWord = session.ended ? (narrow ? 'end' : 'ended') : narrow ? 'live' : 'active';
    const marker = isSelected ? theme.symbols.selected : ' ';
    lines.push([
      { text: `${marker}${cell(session.id.slice(0, idWidth), idWidth, '')} `, inverse: isSelected },
      {
        text: `${cell(stateWord, stateWidth)} `,
        color: session.ended ? 'gray' : 'green',
        inverse: isSelected,
      },
      {
        text: `${cell(clockTime(session.startedAt), timeWidth)} ${cellRight(formatAgo(state.now - Date.parse(session.lastActivityAt)), activeWidth)} `,
        inverse: isSelected,
      },
      {
        text: `${cell(session.cwd ? shortHome(session.cwd) : '-', cwdWidth, theme.symbols.ellipsis)} `,
        inverse: isSelected,
      },
      {
        text: countsWidth ? cell(counts, countsWidth, theme.symbols.ellipsis) : '',
        dim: !isSelected,
        inverse: isSelected,
      },
    ]);
  }
  lines.push([{ text: ` ${sessions.length} session(s) · Enter shows this session's events`, dim: true }]);
  return lines;
}

function shortHome(path: string): string {
  const home = process.env.HOME;
  return home ? shortPath(path, home).replace(/^(?!\/)/, path.startsWith(`${home}/`) ? '~/' : '') : path;
}
