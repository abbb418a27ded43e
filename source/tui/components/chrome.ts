/** Header (connection, daemon figures, view tabs, stream flags) and footer (keys that fit), as lines. */
import { fitSegments, formatUptime } from '../format.js';
import type { Line, Segment } from '../lines.js';
import { ratePerSecond } from '../state/rate.js';
import { waitingCount } from '../../sessions/index.js';
import { VIEWS, type TuiState } from '../state/tui-state.js';
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

export function headerLines(state: TuiState, theme: Theme, width: number, address: string): Line[] {
  const narrow = width < 76;
  const hello = state.hello;
  const uptime = hello
    ? hello.uptimeSeconds +
      Math.max(0, (state.now - Date.parse(hello.startedAt)) / 1000 - hello.uptimeSeconds)
    : null;
  const rate = ratePerSecond(state.rate, state.now);
  // Away from the daemon its figures are stale: no health, viewer count or ticking uptime until it is back.
  const live = state.connection.kind === 'connected';
  const segments: Segment[] = [connectionSegment(state, theme, narrow)];
  const waiting = waitingCount(state.sessions);
  if (waiting > 0)
    segments.push({ text: `${theme.symbols.warn} ${waiting} waiting`, color: 'yellow', bold: true });
  segments.push({ text: address, dim: true });
  // With a shared store: which daemon of the cluster this is, and how many others there are.
  const cluster = hello?.cluster;
  if (cluster && cluster.store !== 'journal')
    segments.push({
      text: `${narrow ? '' : 'node '}${cluster.nodeId}${cluster.peers.length > 0 ? ` +${cluster.peers.length}` : ''}`,
    });
  if (uptime !== null && live) segments.push({ text: `up ${formatUptime(uptime)}` });
  segments.push({ text: `${rate < 10 ? rate.toFixed(1) : Math.round(rate)} ev/s` });
  if (state.health && live)
    segments.push({
      text: `${statusSymbol(theme, state.health.status)} ${narrow ? '' : 'health '}${state.health.status}`,
      color: statusColor(state.health.status),
    });
  if (state.status && live) {
    const viewers = state.status.clients.viewers;
    segments.push({ text: `${viewers} ${narrow ? 'vw' : viewers === 1 ? 'viewer' : 'viewers'}` });
  }
  const breaker = state.health?.breaker;
  if (breaker && live)
    segments.push({
      text: `${narrow ? 'brk' : 'breaker'} ${breaker.state}`,
      color: breaker.state === 'closed' ? undefined : breaker.state === 'open' ? 'red' : 'yellow',
    });
  const first = joinSegments(fitSegments(segments, width - 1));

  const tabs: Segment[] = [];
  const labels = narrow ? TAB_LABELS_SHORT : TAB_LABELS;
  VIEWS.forEach((view, index) => {
    const active = state.ui.view === view;
    tabs.push({
      text: ` ${index + 1} ${labels[index]} `,
      inverse: active,
      bold: active,
      color: active ? 'cyan' : undefined,
    });
  });
  const flags: Segment[] = [];
  if (state.ui.paused)
    flags.push({
      text: `${theme.symbols.paused} PAUSED +${state.ui.arrivedWhilePaused}`,
      color: 'yellow',
      bold: true,
    });
  if (state.ui.filter.terms.length > 0)
    flags.push({ text: narrow ? 'filtered' : `filter: ${state.ui.filter.source}`, color: 'cyan' });
  if (state.buffer.dropped > 0)
    // Older events scrolled out of this viewer's buffer; they are still stored (not lost): no alarm colour.
    flags.push({
      text: narrow
        ? `${state.buffer.dropped} older`
        : `${state.buffer.dropped} older than the buffer (stored)`,
      dim: true,
    });
  if (state.missed > 0) flags.push({ text: `missed ${state.missed}`, color: 'red' });
  const tabsWidth = tabs.reduce((sum, tab) => sum + tab.text.length, 0);
  const keptFlags = fitSegments(flags, Math.max(0, width - 1 - tabsWidth - 1));
  const second: Line = [...tabs];
  if (keptFlags.length > 0) second.push({ text: ' ' }, ...joinSegments(keptFlags));
  return [first, second];
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
  ['space', 'pause', 'pause'],
  ['1-5', 'views', 'view'],
  ['enter', 'open', 'open'],
  ['j/k', 'move', 'move'],
  ['g/G', 'top/end', 'ends'],
  ['l', 'live', 'live'],
  ['c', 'clear', 'clear'],
  ['esc', 'back', 'back'],
];

export function footerLine(state: TuiState, theme: Theme, width: number): Line {
  const ui = state.ui;
  if (ui.filterDraft !== null) {
    const line: Line = [{ text: '/', color: 'cyan', bold: true }, { text: `${ui.filterDraft}_` }];
    const hint = ui.filterError ? `  ${ui.filterError}` : '  enter apply · esc cancel';
    line.push({ text: hint, color: ui.filterError ? 'red' : undefined, dim: !ui.filterError });
    return line;
  }
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
