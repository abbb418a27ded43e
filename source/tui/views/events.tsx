/** View 1: the live event list, windowed (never <Static>), one line per event. */
import type { MonEvent } from '../../protocol/event.js';
import { cell, cellRight, clockTime, fit } from '../format.js';
import type { Line, Segment } from '../lines.js';
import { summarize } from '../state/summary.js';
import { formatMs } from '../../sessions/format.js';
import { eventTime, toolCallOf } from '../../sessions/index.js';
import {
  eventsWindowStart,
  searchMatches,
  selectedIndex,
  visibleEvents,
  type TuiState,
} from '../state/tui-state.js';
import { shortType, typeColor, type Theme } from '../theme.js';

interface Columns {
  type: number;
  session: number;
  tool: number;
  duration: number;
  longTypes: boolean;
}

/** The session column stays down to 56 columns (which session did it is what matters most), then goes. */
export function eventColumns(width: number): Columns {
  if (width >= 110) return { type: 16, session: 8, tool: 12, duration: 7, longTypes: true };
  if (width >= 76) return { type: 7, session: 8, tool: 10, duration: 7, longTypes: false };
  if (width >= 56) return { type: 7, session: 8, tool: 8, duration: 6, longTypes: false };
  return { type: 7, session: 0, tool: 7, duration: 6, longTypes: false };
}

const TOOL_TYPES: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure']);

/** The call's duration (running: the running symbol; failed: marked), and whether it failed. */
function durationCell(state: TuiState, event: MonEvent, theme: Theme): { text: string; failed: boolean } {
  if (!TOOL_TYPES.has(event.type)) return { text: '', failed: false };
  const call = toolCallOf(state.sessions, event);
  if (!call) return { text: '', failed: false };
  if (call.status === 'running') return { text: theme.symbols.running, failed: false };
  const took = call.durationMs === null ? '' : formatMs(call.durationMs);
  return call.status === 'failed'
    ? { text: `${theme.symbols.fail}${took}`, failed: true }
    : { text: took, failed: false };
}

function eventLine(
  state: TuiState,
  event: MonEvent,
  width: number,
  mark: { selected: boolean; match: boolean },
  theme: Theme,
): Line {
  const columns = eventColumns(width);
  const ellipsis = theme.symbols.ellipsis;
  const selected = mark.selected;
  // A find's match is marked in the first column too, so it shows without colour.
  const marker = selected ? theme.symbols.selected : mark.match ? theme.symbols.match : ' ';
  const fixed: Segment[] = [
    { text: `${marker}${clockTime(eventTime(event))} `, inverse: selected, bold: mark.match },
    {
      text: cell(columns.longTypes ? event.type : shortType(event.type), columns.type, ellipsis) + ' ',
      color: typeColor(event.type),
      inverse: selected,
    },
  ];
  if (columns.session > 0)
    fixed.push({
      text: cell(event.sessionId.slice(0, columns.session), columns.session, '') + ' ',
      inverse: selected,
    });
  fixed.push({ text: cell(event.tool ?? '', columns.tool, ellipsis) + ' ', inverse: selected });
  const duration = durationCell(state, event, theme);
  const used = fixed.reduce((sum, segment) => sum + Array.from(segment.text).length, 0);
  const summaryWidth = Math.max(0, width - used - columns.duration - 1);
  return [
    ...fixed,
    {
      text: cell(summarize(event), summaryWidth, ellipsis) + ' ',
      inverse: selected,
      color: mark.match ? 'magenta' : undefined,
      bold: mark.match,
    },
    {
      text: cellRight(duration.text, columns.duration),
      dim: !selected && !duration.failed,
      color: duration.failed ? 'red' : undefined,
      inverse: selected,
    },
  ];
}

function titleLine(width: number): Line {
  const columns = eventColumns(width);
  let text = ` ${cell('time', 8)} ${cell('type', columns.type)} `;
  if (columns.session > 0) text += `${cell('session', columns.session)} `;
  text += `${cell('tool', columns.tool)} `;
  const summaryWidth = Math.max(0, width - Array.from(text).length - columns.duration - 1);
  text += `${cell('summary', summaryWidth)} ${cellRight('took', columns.duration)}`;
  return [{ text: fit(text, width), bold: true, dim: true }];
}

export function eventsLines(state: TuiState, theme: Theme, width: number, height: number): Line[] {
  const list = visibleEvents(state);
  const listHeight = Math.max(0, height - 1);
  const lines: Line[] = [titleLine(width)];
  if (list.length === 0) {
    lines.push([{ text: emptyMessage(state), dim: true }]);
    return lines;
  }
  const start = eventsWindowStart(state.ui, list, listHeight);
  const selected = selectedIndex(state.ui, list);
  const matches = new Set(searchMatches(state.ui, list));
  for (let index = start; index < Math.min(list.length, start + listHeight); index += 1)
    lines.push(
      eventLine(
        state,
        list[index]!,
        width,
        { selected: index === selected, match: matches.has(index) },
        theme,
      ),
    );
  return lines;
}

function emptyMessage(state: TuiState): string {
  if (state.ui.filter.terms.length > 0)
    return ` no event matches the filter "${state.ui.filter.source}" (Esc clears it)`;
  if (state.ui.clearedThroughSeq > 0) return ' cleared; new events will appear here';
  if (state.connection.kind !== 'connected') return ' waiting for the daemon…';
  return ' no events yet: start a Claude Code session with the hooks installed (mpm-mon install-hooks)';
}
