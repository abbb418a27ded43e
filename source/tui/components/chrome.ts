/** Header (connection, daemon figures, view tabs, stream flags) and footer (keys that fit), as lines. */
import { fit, fitByPriority, fitSegments, formatUptime } from '../format.js';
import type { Line, Segment } from '../lines.js';
import { sparkline } from '../state/health-history.js';
import type { TabSpan } from '../state/mouse.js';
import { ratePerSecond, rateSeries } from '../state/rate.js';
import { waitingCount } from '../../sessions/index.js';
import {
  eventsView,
  newBelow,
  searchMatches,
  selectedIndex,
  visibleEvents,
  VIEWS,
  type TuiState,
  type ViewName,
} from '../state/tui-state.js';
import { statusColor, statusSymbol, type Theme } from '../theme.js';

export function connectionSegment(state: TuiState, theme: Theme, narrow: boolean): Segment {
  const connection = state.connection;
  const seconds = (ms: number) => `${Math.max(0, Math.ceil(ms / 1000))}s`;
  if (connection.kind === 'connected')
    return { text: `${theme.symbols.connected} connected`, color: 'green', bold: true };
  if (connection.kind === 'closed') return { text: `${theme.symbols.stopped} closed`, color: 'gray' };
  if (connection.kind === 'connecting')
    return { text: `${theme.symbols.connecting} connecting`, color: 'yellow', bold: true };
  const retry =
    connection.kind === 'reconnecting'
      ? narrow
        ? `retry ${seconds(connection.retryAt - state.now)} #${connection.attempt}`
        : `reconnecting in ${seconds(connection.retryAt - state.now)}, attempt ${connection.attempt}`
      : '';
  const shutdown = state.shutdown ?? (connection.kind === 'stopped' ? connection : null);
  if (shutdown) {
    const text = `${theme.symbols.stopped} ${narrow ? 'stopped' : 'daemon stopped'}: ${shutdown.reason}${retry ? ` · ${retry}` : ''}`;
    return { text, color: 'red', bold: true };
  }
  return { text: `${theme.symbols.reconnecting} ${retry}`, color: 'yellow', bold: true };
}

type Ranked = Segment & { priority: number };

/** The rate's last seconds, as a sparkline beside ev/s. */
const SPARK_SECONDS = 10;

export function headerLines(
  state: TuiState,
  theme: Theme,
  width: number,
  address: string,
  /** Rows of the Events list (for the position and "new below"); 0 leaves them out. */
  listHeight = 0,
): Line[] {
  const narrow = width < 76;
  const hello = state.hello;
  const uptime = hello
    ? hello.uptimeSeconds +
      Math.max(0, (state.now - Date.parse(hello.startedAt)) / 1000 - hello.uptimeSeconds)
    : null;
  const rate = ratePerSecond(state.rate, state.now);
  // Away from the daemon its figures are stale: no health, viewer count or ticking uptime until it is back.
  const live = state.connection.kind === 'connected';
  // Display order as listed; on a narrow pane the highest priority numbers go first.
  const segments: Ranked[] = [{ ...connectionSegment(state, theme, narrow), priority: 0 }];
  const waiting = waitingCount(state.sessions);
  if (waiting > 0)
    segments.push({
      text: `${theme.symbols.warn} ${waiting} waiting`,
      color: 'yellow',
      bold: true,
      priority: 1,
    });
  segments.push({ text: address, dim: true, priority: 5 });
  // With a shared store: which daemon of the cluster this is, and how many others there are.
  const cluster = hello?.cluster;
  if (cluster && cluster.store !== 'journal')
    segments.push({
      text: `${narrow ? '' : 'node '}${cluster.nodeId}${cluster.peers.length > 0 ? ` +${cluster.peers.length}` : ''}`,
      priority: 8,
    });
  if (uptime !== null && live) segments.push({ text: `up ${formatUptime(uptime)}`, priority: 6 });
  segments.push({ text: `${rate < 10 ? rate.toFixed(1) : Math.round(rate)} ev/s`, priority: 3 });
  segments.push({
    text: sparkline(rateSeries(state.rate, state.now, SPARK_SECONDS), SPARK_SECONDS, theme.ascii, 0),
    color: 'cyan',
    priority: 7,
  });
  if (state.health && live)
    segments.push({
      text: `${statusSymbol(theme, state.health.status)} ${narrow ? '' : 'health '}${state.health.status}`,
      color: statusColor(state.health.status),
      priority: 2,
    });
  if (state.status && live) {
    const viewers = state.status.clients.viewers;
    segments.push({
      text: `${viewers} ${narrow ? 'vw' : viewers === 1 ? 'viewer' : 'viewers'}`,
      priority: 9,
    });
  }
  const breaker = state.health?.breaker;
  if (breaker && live)
    segments.push({
      text: `${narrow ? 'brk' : 'breaker'} ${breaker.state}`,
      color: breaker.state === 'closed' ? undefined : breaker.state === 'open' ? 'red' : 'yellow',
      priority: breaker.state === 'closed' ? 10 : 1,
    });
  const first = joinSegments(
    fitByPriority(segments, width - 1).map(({ priority: _, ...segment }) => segment),
  );

  const tabs: Segment[] = tabSegments(state.ui.view, width, theme);
  const flags = streamFlags(state, theme, narrow, listHeight);
  const tabsWidth = tabs.reduce((sum, tab) => sum + tab.text.length, 0);
  const keptFlags = fitSegments(flags, Math.max(0, width - 1 - tabsWidth - 1));
  const second: Line = [...tabs];
  if (keptFlags.length > 0) second.push({ text: ' ' }, ...joinSegments(keptFlags));
  return [first, second];
}

/** The tabs; the active one inverse and bold, and in brackets without colour (NO_COLOR still shows it). */
function tabSegments(active: ViewName, width: number, theme: Theme): Segment[] {
  const labels = width < 76 ? TAB_LABELS_SHORT : TAB_LABELS;
  return VIEWS.map((view, index) => {
    const on = active === view;
    const [open, close] = on && !theme.color ? ['[', ']'] : [' ', ' '];
    return {
      text: `${open}${index + 1} ${labels[index]}${close}`,
      inverse: on,
      bold: on,
      color: on ? 'cyan' : undefined,
    };
  });
}

/** Where each tab is on the tabs row (for a mouse click). */
export function tabSpans(width: number, theme: Theme): TabSpan[] {
  let from = 0;
  return tabSegments('events', width, theme).map((tab, index) => {
    const span = { view: VIEWS[index]!, from, to: from + tab.text.length };
    from = span.to;
    return span;
  });
}

/** A filter or find longer than this is cut in the header (the prompt shows it whole). */
const FLAG_TEXT = 24;

/** After the tabs, most telling first: pause, new below, position, filter, find, folded, missed, older. */
function streamFlags(state: TuiState, theme: Theme, narrow: boolean, listHeight: number): Segment[] {
  const ui = state.ui;
  const flags: Segment[] = [];
  if (ui.paused)
    flags.push({
      text: `${theme.symbols.paused} PAUSED +${ui.arrivedWhilePaused}`,
      color: 'yellow',
      bold: true,
    });
  const onList = ui.view === 'events' && !ui.overlay && listHeight > 0;
  const below = onList ? newBelow(state, listHeight) : 0;
  if (below > 0)
    flags.push({ text: `${theme.symbols.down} ${below} new below`, color: 'yellow', bold: true });
  const list = onList ? visibleEvents(state) : [];
  if (list.length > 0) flags.push({ text: `${selectedIndex(ui, list) + 1}/${list.length}` });
  if (ui.filter.terms.length > 0)
    flags.push({
      text: narrow ? 'filtered' : `filter: ${fit(ui.filter.source, FLAG_TEXT, theme.symbols.ellipsis)}`,
      color: 'cyan',
    });
  if (ui.search.terms.length > 0) {
    const matches = searchMatches(ui, visibleEvents(state));
    const at = matches.indexOf(selectedIndex(ui, visibleEvents(state)));
    const count = `${at === -1 ? '' : `${at + 1}/`}${matches.length} match${matches.length === 1 ? '' : 'es'}`;
    flags.push({
      text: narrow
        ? `find ${count}`
        : `find: ${fit(ui.search.source, FLAG_TEXT, theme.symbols.ellipsis)} ${count} (n/N)`,
      color: 'magenta',
    });
  }
  const { folded } = eventsView(state);
  if (folded > 0 && ui.view === 'events')
    flags.push({ text: narrow ? `+${folded} bk (b)` : `${folded} bookkeeping folded (b shows)`, dim: true });
  else if (ui.showBookkeeping && ui.view === 'events')
    flags.push({ text: narrow ? 'bk shown' : 'bookkeeping shown (b folds)', dim: true });
  if (state.missed > 0) flags.push({ text: `missed ${state.missed}`, color: 'red' });
  if (state.buffer.dropped > 0)
    // Older events scrolled out of this viewer's buffer; they are still stored (not lost): no alarm colour.
    flags.push({
      text: narrow
        ? `${state.buffer.dropped} older`
        : `${state.buffer.dropped} older than the buffer (stored)`,
      dim: true,
    });
  return flags;
}

const TAB_LABELS = ['Events', 'Sessions', 'Health', 'Recovery', 'Troubleshoot'];
const TAB_LABELS_SHORT = ['Evts', 'Sess', 'Hlth', 'Recov', 'Fix'];

function joinSegments(segments: Segment[]): Line {
  const line: Line = [];
  segments.forEach((segment, index) => {
    if (index > 0) line.push({ text: '  ' });
    line.push(segment);
  });
  return line;
}

const FOOTER_KEYS: ReadonlyArray<readonly [string, string, string]> = [
  ['q', 'quit', 'quit'],
  ['?', 'help', 'help'],
  ['/', 'filter', 'filter'],
  ['f', 'find', 'find'],
  ['space', 'pause', 'pause'],
  ['1-5', 'views', 'view'],
  ['enter', 'open', 'open'],
  ['j/k', 'move', 'move'],
  ['g/G', 'top/end', 'ends'],
  ['l', 'live', 'live'],
  ['c', 'clear', 'clear'],
  ['esc', 'back', 'back'],
  ['y', 'copy', 'copy'],
  ['e', 'export', 'export'],
  ['b', 'bookkeeping', 'bk'],
];

/** How long a notice (`y`, `e`, a find without matches) stays in the footer. */
export const NOTICE_MS = 6000;

export function footerLine(state: TuiState, theme: Theme, width: number): Line {
  const ui = state.ui;
  if (ui.filterDraft !== null) {
    const search = ui.prompt === 'search';
    const line: Line = [
      { text: search ? 'find ' : '/', color: search ? 'magenta' : 'cyan', bold: true },
      { text: `${ui.filterDraft}_` },
    ];
    const hint = ui.filterError
      ? `  ${ui.filterError}`
      : search
        ? '  find: highlights matches, n/N jump · enter find · esc cancel'
        : '  filter: hides the rest · enter apply · esc cancel';
    line.push({ text: hint, color: ui.filterError ? 'red' : undefined, dim: !ui.filterError });
    return line;
  }
  if (ui.notice && state.now - ui.notice.at < NOTICE_MS)
    return [{ text: ui.notice.text, color: ui.notice.error ? 'red' : 'green', bold: true }];
  const narrow = width < 76;
  const keys = FOOTER_KEYS.map(([key, label, short]) => {
    const word = ui.paused && key === 'space' ? 'resume' : narrow ? short : label;
    return { text: `${key} ${word}` };
  });
  const kept = fitSegments(keys, width - 1, narrow ? 1 : 2);
  const line: Line = [];
  kept.forEach((segment, index) => {
    if (index > 0) line.push({ text: narrow ? ' ' : '  ' });
    const [key, ...rest] = segment.text.split(' ');
    line.push({ text: key!, color: 'cyan', bold: true }, { text: ` ${rest.join(' ')}`, dim: true });
  });
  return line;
}
