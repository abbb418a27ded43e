/** The whole TUI state and its reducer. Pure: time comes in with the actions that need it. */
import type { ConnectionState } from '../../client/dashboard-client.js';
import type { TroubleshootingReport } from '../../errors/report.js';
import type { MonEvent } from '../../protocol/event.js';
import type { HealthReport, RecoveryEntry } from '../../protocol/health.js';
import type {
  HelloMessage,
  SessionsAnswer,
  ShutdownMessage,
  StatusResponse,
} from '../../protocol/messages.js';
import { applyEvents, createSessionsState, type SessionsState } from '../../sessions/index.js';
import { appendEvents, createEventBuffer, lowerBoundBySeq, type EventBuffer } from './events-buffer.js';
import { applyFilter, EMPTY_FILTER, matchesFilter, parseFilter, type EventFilter } from './filter.js';
import { asksForType, byOccurrence, isBookkeeping, isSessionFilter, positionOfSeq } from './event-order.js';
import { createHealthHistory, recordHealth, type HealthHistory } from './health-history.js';
import { EMPTY_RATE, recordArrivals, type RateState } from './rate.js';
import { listedSessions } from './session-list.js';
import { clamp, windowStart } from './window.js';

export const VIEWS = ['events', 'sessions', 'health', 'recovery', 'troubleshoot'] as const;
export type ViewName = (typeof VIEWS)[number];

export type Overlay =
  | { kind: 'help'; scroll: number }
  | { kind: 'detail'; seq: number; scroll: number }
  | { kind: 'session'; sessionId: string; scroll: number };

export interface UiState {
  view: ViewName;
  overlay: Overlay | null;
  filter: EventFilter;
  /** The text being typed after `/` (filter) or `f` (find, see `prompt`); null when not editing. */
  filterDraft: string | null;
  filterError: string | null;
  /** What the prompt edits: the filter (hides what does not match) or the find (highlights matches). */
  prompt: 'filter' | 'search';
  /** The filter (or find) in force when the prompt opened: Esc while typing restores it. */
  filterBeforeEdit: EventFilter;
  /** The find: matching events are highlighted, `n`/`N` jump between them. */
  search: EventFilter;
  /** Bookkeeping events (PostToolBatch, ...) are folded out of the list unless shown (`b`). */
  showBookkeeping: boolean;
  /** A line for the footer after `y`, `e` or a find without matches; it fades after a few seconds. */
  notice: { text: string; at: number; error: boolean } | null;
  /** Where Esc goes from the Events view of one session opened from its detail: back to it. */
  returnTo: Overlay | null;
  /** The newest seq when the selection stopped following: what arrived since is "new below". */
  unfollowedAtSeq: number;
  paused: boolean;
  /** While paused the Events view shows nothing newer than this. */
  pausedAtSeq: number;
  arrivedWhilePaused: number;
  /** Selection tracks the newest event. */
  follow: boolean;
  selectedSeq: number | null;
  topSeq: number;
  /** `c` hides everything up to here from the Events view (the buffer keeps it). */
  clearedThroughSeq: number;
  sessionIndex: number;
  /** The selected session, so the selection stays on it when a new session takes its row. */
  selectedSessionId: string | null;
  /** The Sessions view lists sessions, or (`t`) tool statistics across them. */
  sessionsPane: 'list' | 'tools';
  /** Scroll offsets of the other views. */
  scroll: Record<'health' | 'recovery' | 'troubleshoot', number>;
}

export interface TuiState {
  buffer: EventBuffer;
  /** The session model over the events received (tool calls, turns, subagents, waiting). */
  sessions: SessionsState;
  /** The daemon's latest sessions answer: the transcript figures only it reads. */
  daemonSessions: SessionsAnswer | null;
  connection: ConnectionState;
  shutdown: ShutdownMessage | null;
  hello: HelloMessage | null;
  health: HealthReport | null;
  healthHistory: HealthHistory;
  recovery: readonly RecoveryEntry[];
  /** Events the daemon could not replay after a reconnect. */
  missed: number;
  status: StatusResponse | null;
  /** Doctor's findings, run by the viewer (the Troubleshoot view shows them); null until the first run. */
  findings: Findings | null;
  rate: RateState;
  now: number;
  ui: UiState;
}

export interface Findings {
  report: TroubleshootingReport;
  /** How mpm-mon runs here: the view's own hints are said the same way as the report's. */
  invoke: string;
}

export interface TuiLimits {
  bufferSize: number;
  sessions?: number;
  healthHistory?: number;
  recovery?: number;
}

export function createTuiState(limits: TuiLimits, now: number): TuiState {
  return {
    buffer: createEventBuffer(limits.bufferSize),
    sessions: createSessionsState({ sessions: limits.sessions ?? 200, callsPerSession: 500 }),
    daemonSessions: null,
    connection: { kind: 'connecting' },
    shutdown: null,
    hello: null,
    health: null,
    healthHistory: createHealthHistory(limits.healthHistory ?? 60),
    recovery: [],
    missed: 0,
    status: null,
    findings: null,
    rate: EMPTY_RATE,
    now,
    ui: {
      view: 'events',
      overlay: null,
      filter: EMPTY_FILTER,
      filterDraft: null,
      filterError: null,
      prompt: 'filter',
      filterBeforeEdit: EMPTY_FILTER,
      search: EMPTY_FILTER,
      showBookkeeping: false,
      notice: null,
      returnTo: null,
      unfollowedAtSeq: 0,
      paused: false,
      pausedAtSeq: 0,
      arrivedWhilePaused: 0,
      follow: true,
      selectedSeq: null,
      topSeq: 0,
      clearedThroughSeq: 0,
      sessionIndex: 0,
      selectedSessionId: null,
      sessionsPane: 'list',
      scroll: { health: 0, recovery: 0, troubleshoot: 0 },
    },
  };
}

export type TuiAction =
  | {
      type: 'events';
      events: readonly MonEvent[];
      now: number;
      /** dropped before reaching state */ dropped?: number;
    }
  | { type: 'connection'; state: ConnectionState }
  | { type: 'hello'; hello: HelloMessage }
  | { type: 'health'; report: HealthReport }
  | { type: 'recovery'; entry: RecoveryEntry }
  | { type: 'shutdown'; message: ShutdownMessage }
  | { type: 'gap'; from: number; to: number }
  | { type: 'status'; status: StatusResponse }
  | { type: 'findings'; findings: Findings }
  | { type: 'sessions'; answer: SessionsAnswer }
  | { type: 'toggleTools' }
  | { type: 'tick'; now: number }
  | { type: 'view'; view: ViewName }
  | { type: 'cycleView'; delta: 1 | -1 }
  | { type: 'move'; delta: number; pageSize: number; maxScroll?: number }
  | { type: 'top'; pageSize: number; maxScroll?: number }
  | { type: 'bottom'; pageSize: number; maxScroll?: number }
  | { type: 'togglePause' }
  | { type: 'live' }
  | { type: 'clear' }
  | { type: 'toggleHelp' }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'filterStart' }
  | { type: 'searchStart' }
  | { type: 'filterDraft'; text: string }
  | { type: 'filterCommit' }
  | { type: 'searchNext'; delta: 1 | -1; pageSize: number }
  | { type: 'toggleBookkeeping' }
  | { type: 'notice'; text: string; now: number; error?: boolean }
  /** A click on a row of the list (0 = the first row shown). */
  | { type: 'selectRow'; row: number; pageSize: number };

export interface EventsView {
  /** The list as shown. */
  list: readonly MonEvent[];
  /** Bookkeeping events that match but are folded out. */
  folded: number;
}

let visibleCache: { key: unknown[]; value: EventsView } | null = null;

/**
 * The Events view's list: not cleared, not newer than a pause, matching the filter, bookkeeping folded
 * out (unless shown, or asked for with type:), a session's events in the order they happened. Memoised.
 */
export function eventsView(state: TuiState): EventsView {
  const { ui, buffer } = state;
  const key = [buffer.events, ui.filter, ui.clearedThroughSeq, ui.paused, ui.pausedAtSeq, ui.showBookkeeping];
  if (visibleCache && visibleCache.key.every((part, index) => part === key[index])) return visibleCache.value;
  let events = buffer.events;
  const from = lowerBoundBySeq(events, ui.clearedThroughSeq + 1);
  const to = ui.paused ? lowerBoundBySeq(events, ui.pausedAtSeq + 1) : events.length;
  if (from > 0 || to < events.length) events = events.slice(from, to);
  let list = applyFilter(ui.filter, events);
  let folded = 0;
  if (!ui.showBookkeeping && !asksForType(ui.filter)) {
    const kept = list.filter((event) => !isBookkeeping(event));
    folded = list.length - kept.length;
    if (folded > 0) list = kept;
  }
  if (isSessionFilter(ui.filter)) list = byOccurrence(list);
  const value = { list, folded };
  visibleCache = { key, value };
  return value;
}

export function visibleEvents(state: TuiState): readonly MonEvent[] {
  return eventsView(state).list;
}

/** Index of the selected event in `list` (the newest when following). */
export function selectedIndex(ui: UiState, list: readonly MonEvent[]): number {
  if (list.length === 0) return -1;
  if (ui.follow || ui.selectedSeq === null) return list.length - 1;
  return clamp(positionOfSeq(list, ui.selectedSeq), 0, list.length - 1);
}

/** First row of the Events window for a list area `height` rows tall. */
export function eventsWindowStart(ui: UiState, list: readonly MonEvent[], height: number): number {
  const selected = selectedIndex(ui, list);
  if (ui.follow) return Math.max(0, list.length - height);
  return windowStart(clamp(positionOfSeq(list, ui.topSeq), 0, list.length), selected, height, list.length);
}

/** Where the find's matches are in `list` (indexes, ascending). */
export function searchMatches(ui: UiState, list: readonly MonEvent[]): number[] {
  if (ui.search.terms.length === 0) return [];
  const out: number[] = [];
  list.forEach((event, index) => {
    if (matchesFilter(ui.search, event)) out.push(index);
  });
  return out;
}

/** "Newer below" while scrolled up: events shown after the window that arrived since following stopped. */
export function newBelow(state: TuiState, height: number): number {
  const ui = state.ui;
  if (ui.follow || ui.overlay || ui.view !== 'events') return 0;
  const list = visibleEvents(state);
  const end = eventsWindowStart(ui, list, height) + height;
  let count = 0;
  for (let index = end; index < list.length; index += 1)
    if (list[index]!.seq > ui.unfollowedAtSeq) count += 1;
  return count;
}

/** The selected session's row: where its id is now, else the row that was selected. */
export function selectedSessionIndex(ui: UiState, sessions: readonly { sessionId: string }[]): number {
  if (sessions.length === 0) return 0;
  if (ui.selectedSessionId !== null) {
    const found = sessions.findIndex((session) => session.sessionId === ui.selectedSessionId);
    if (found !== -1) return found;
  }
  return clamp(ui.sessionIndex, 0, sessions.length - 1);
}

export function viewLabelIndex(view: ViewName): number {
  return VIEWS.indexOf(view);
}

const MAX_RECOVERY = 200;

export function reduce(state: TuiState, action: TuiAction): TuiState {
  switch (action.type) {
    case 'events':
      return receiveEvents(state, action.events, action.now, action.dropped ?? 0);
    case 'connection':
      return {
        ...state,
        connection: action.state,
        shutdown: action.state.kind === 'connected' ? null : state.shutdown,
      };
    case 'hello':
      return {
        ...state,
        hello: action.hello,
        ...(action.hello.health ? applyHealth(state, action.hello.health) : {}),
      };
    case 'health':
      return { ...state, ...applyHealth(state, action.report) };
    case 'recovery':
      return { ...state, recovery: upsertRecovery(state.recovery, action.entry) };
    case 'shutdown':
      return { ...state, shutdown: action.message };
    case 'gap':
      return { ...state, missed: state.missed + Math.max(0, action.to - action.from + 1) };
    case 'status':
      return { ...state, status: action.status };
    case 'findings':
      return { ...state, findings: action.findings };
    case 'sessions':
      return { ...state, daemonSessions: action.answer };
    case 'tick':
      return { ...state, now: action.now };
    default:
      return { ...state, ui: reduceUi(state, action) };
  }
}

function applyHealth(state: TuiState, report: HealthReport): Pick<TuiState, 'health' | 'healthHistory'> {
  return { health: report, healthHistory: recordHealth(state.healthHistory, report) };
}

function receiveEvents(
  state: TuiState,
  events: readonly MonEvent[],
  now: number,
  droppedBefore: number,
): TuiState {
  const appended = appendEvents(state.buffer, events);
  if (appended === state.buffer && droppedBefore === 0) return state;
  const buffer = droppedBefore > 0 ? { ...appended, dropped: appended.dropped + droppedBefore } : appended;
  const fresh = events.filter((event) => event.seq > state.buffer.lastSeq);
  return {
    ...state,
    buffer,
    sessions: applyEvents(state.sessions, fresh),
    // Replayed history (at or below the seq the daemon had when we attached) is not live traffic.
    rate: recordArrivals(
      state.rate,
      fresh.filter((event) => event.seq > (state.hello?.lastSeq ?? 0)).length,
      now,
    ),
    now,
    ui: state.ui.paused
      ? { ...state.ui, arrivedWhilePaused: state.ui.arrivedWhilePaused + fresh.length }
      : state.ui,
  };
}

type UiAction = Exclude<
  TuiAction,
  {
    type:
      | 'events'
      | 'connection'
      | 'hello'
      | 'health'
      | 'recovery'
      | 'shutdown'
      | 'gap'
      | 'status'
      | 'findings'
      | 'sessions'
      | 'tick';
  }
>;

function reduceUi(state: TuiState, action: UiAction): UiState {
  const ui = state.ui;
  switch (action.type) {
    case 'view':
      return { ...ui, view: action.view, overlay: null, returnTo: null };
    case 'cycleView': {
      const next = (VIEWS.indexOf(ui.view) + action.delta + VIEWS.length) % VIEWS.length;
      return { ...ui, view: VIEWS[next]!, overlay: null, returnTo: null };
    }
    case 'move':
      return move(state, action.delta, action.pageSize, action.maxScroll);
    case 'top':
      return move(state, -Infinity, action.pageSize, action.maxScroll);
    case 'bottom':
      if (!ui.overlay && ui.view === 'events') return { ...ui, follow: true, selectedSeq: null };
      return move(state, Infinity, action.pageSize, action.maxScroll);
    case 'togglePause':
      return ui.paused
        ? resume(ui)
        : { ...ui, paused: true, pausedAtSeq: state.buffer.lastSeq, arrivedWhilePaused: 0 };
    case 'live':
      return { ...resume(ui), view: 'events', overlay: null, returnTo: null };
    case 'clear':
      if (ui.view !== 'events') return ui;
      return {
        ...ui,
        clearedThroughSeq: ui.paused ? ui.pausedAtSeq : state.buffer.lastSeq,
        follow: true,
        selectedSeq: null,
      };
    case 'toggleHelp':
      return { ...ui, overlay: ui.overlay?.kind === 'help' ? null : { kind: 'help', scroll: 0 } };
    case 'toggleTools':
      if (ui.view !== 'sessions' || ui.overlay) return ui;
      return { ...ui, sessionsPane: ui.sessionsPane === 'list' ? 'tools' : 'list' };
    case 'open':
      return open(state);
    case 'back':
      return back(ui);
    case 'filterStart':
    case 'searchStart': {
      const prompt = action.type === 'filterStart' ? 'filter' : 'search';
      const current = ui[prompt];
      return {
        ...ui,
        prompt,
        // A filter typed over a session's events is the user's own: Esc no longer goes back to the session.
        returnTo: prompt === 'filter' ? null : ui.returnTo,
        filterDraft: current.source,
        filterError: null,
        filterBeforeEdit: current,
        overlay: null,
        view: 'events',
      };
    }
    case 'filterDraft': {
      const parsed = parseFilter(action.text);
      return parsed.ok
        ? { ...ui, filterDraft: action.text, [ui.prompt]: parsed.filter, filterError: null }
        : { ...ui, filterDraft: action.text, filterError: parsed.error };
    }
    case 'filterCommit':
      if (ui.filterError) return ui; // keep editing until it parses
      if (ui.prompt === 'search') return jumpToMatch(state, { ...ui, filterDraft: null }, 1, 0, true);
      return { ...ui, filterDraft: null, follow: true, selectedSeq: null };
    case 'searchNext':
      return jumpToMatch(state, ui, action.delta, action.pageSize, false);
    case 'toggleBookkeeping':
      return { ...ui, showBookkeeping: !ui.showBookkeeping };
    case 'notice':
      return { ...ui, notice: { text: action.text, at: action.now, error: action.error ?? false } };
    case 'selectRow':
      return selectRow(state, action.row, action.pageSize);
  }
}

/**
 * The find's next (delta 1, down) or previous match from the selection, wrapping around. Enter goes to
 * the nearest match at or above the selection (the newest one while following). Without a match the
 * footer says so.
 */
function jumpToMatch(
  state: TuiState,
  ui: UiState,
  delta: 1 | -1,
  pageSize: number,
  inclusive: boolean,
): UiState {
  if (ui.search.terms.length === 0)
    return {
      ...ui,
      notice: { text: 'n/N: nothing to find yet (f starts a find)', at: state.now, error: true },
    };
  const list = visibleEvents({ ...state, ui });
  const matches = searchMatches(ui, list);
  if (matches.length === 0)
    return {
      ...ui,
      notice: { text: `find: no event matches "${ui.search.source}"`, at: state.now, error: true },
    };
  const current = selectedIndex(ui, list);
  const target = inclusive
    ? (matches.findLast((index) => index <= current) ?? matches[0]!)
    : delta > 0
      ? (matches.find((index) => index > current) ?? matches[0]!)
      : (matches.findLast((index) => index < current) ?? matches.at(-1)!);
  return selectEventAt({ ...ui, notice: null }, list, target, pageSize || 1);
}

/** Selects `list[target]` and keeps it in the window, no longer following. */
function selectEventAt(ui: UiState, list: readonly MonEvent[], target: number, pageSize: number): UiState {
  const start = windowStart(eventsWindowStart(ui, list, pageSize), target, pageSize, list.length);
  const newest = list.reduce((max, event) => Math.max(max, event.seq), 0);
  return {
    ...ui,
    follow: false,
    selectedSeq: list[target]!.seq,
    topSeq: list[start]!.seq,
    unfollowedAtSeq: ui.follow ? newest : ui.unfollowedAtSeq,
  };
}

function selectRow(state: TuiState, row: number, pageSize: number): UiState {
  const ui = state.ui;
  if (ui.overlay) return ui;
  if (ui.view === 'events') {
    const list = visibleEvents(state);
    const target = eventsWindowStart(ui, list, pageSize) + row;
    return target >= 0 && target < list.length ? selectEventAt(ui, list, target, pageSize) : ui;
  }
  if (ui.view === 'sessions' && ui.sessionsPane === 'list') {
    const sessions = listedSessions(state);
    const selected = selectedSessionIndex(ui, sessions);
    const target = windowStart(0, selected, pageSize, sessions.length) + row;
    const session = sessions[target];
    return session ? { ...ui, sessionIndex: target, selectedSessionId: session.sessionId } : ui;
  }
  return ui;
}

function resume(ui: UiState): UiState {
  return { ...ui, paused: false, arrivedWhilePaused: 0, follow: true, selectedSeq: null };
}

function back(ui: UiState): UiState {
  if (ui.filterDraft !== null) {
    // Cancel: restore the filter (or find) that was in force before the prompt opened.
    return { ...ui, [ui.prompt]: ui.filterBeforeEdit, filterDraft: null, filterError: null };
  }
  if (ui.overlay) return { ...ui, overlay: null };
  if (ui.returnTo && ui.view === 'events') {
    // A session's events were opened from its detail: Esc goes back there (and drops their filter).
    return {
      ...ui,
      view: 'sessions',
      overlay: ui.returnTo,
      returnTo: null,
      filter: EMPTY_FILTER,
      follow: true,
      selectedSeq: null,
    };
  }
  if (ui.search.terms.length > 0) return { ...ui, search: EMPTY_FILTER, notice: null };
  if (ui.filter.terms.length > 0) return { ...ui, filter: EMPTY_FILTER, follow: true, selectedSeq: null };
  return ui;
}

function open(state: TuiState): UiState {
  const ui = state.ui;
  if (ui.overlay?.kind === 'session') {
    // Enter in a session's detail: that session's events.
    const parsed = parseFilter(`session:${ui.overlay.sessionId}`);
    return parsed.ok
      ? {
          ...ui,
          overlay: null,
          returnTo: ui.overlay,
          view: 'events',
          filter: parsed.filter,
          filterError: null,
          follow: true,
          selectedSeq: null,
        }
      : ui;
  }
  if (ui.overlay) return ui;
  if (ui.view === 'events') {
    const list = visibleEvents(state);
    const index = selectedIndex(ui, list);
    const event = list[index];
    return event ? { ...ui, overlay: { kind: 'detail', seq: event.seq, scroll: 0 } } : ui;
  }
  if (ui.view === 'sessions' && ui.sessionsPane === 'list') {
    const sessions = listedSessions(state);
    const session = sessions[selectedSessionIndex(ui, sessions)];
    return session ? { ...ui, overlay: { kind: 'session', sessionId: session.sessionId, scroll: 0 } } : ui;
  }
  return ui;
}

/** A scroll offset moved by `delta` (±Infinity: to an end), kept within [0, maxScroll]. */
function scrollBy(current: number, delta: number, maxScroll = Number.MAX_SAFE_INTEGER): number {
  const target = Number.isFinite(delta) ? current + delta : delta < 0 ? 0 : maxScroll;
  return clamp(Math.min(target, maxScroll), 0, maxScroll);
}

function move(state: TuiState, delta: number, pageSize: number, maxScroll?: number): UiState {
  const ui = state.ui;
  if (ui.overlay)
    return { ...ui, overlay: { ...ui.overlay, scroll: scrollBy(ui.overlay.scroll, delta, maxScroll) } };
  switch (ui.view) {
    case 'events': {
      const list = visibleEvents(state);
      if (list.length === 0) return ui;
      const current = selectedIndex(ui, list);
      const target = clamp(
        Number.isFinite(delta) ? current + delta : delta < 0 ? 0 : list.length - 1,
        0,
        list.length - 1,
      );
      return selectEventAt(ui, list, target, pageSize);
    }
    case 'sessions': {
      const sessions = listedSessions(state);
      const count = sessions.length;
      const current = selectedSessionIndex(ui, sessions);
      const target = clamp(
        Number.isFinite(delta) ? current + delta : delta < 0 ? 0 : count - 1,
        0,
        Math.max(0, count - 1),
      );
      return { ...ui, sessionIndex: target, selectedSessionId: sessions[target]?.sessionId ?? null };
    }
    default: {
      const next = scrollBy(ui.scroll[ui.view], delta, maxScroll);
      return { ...ui, scroll: { ...ui.scroll, [ui.view]: next } };
    }
  }
}

/** The daemon sends an attempt twice under one id: `pending`, then its verdict. Keep the latest. */
export function upsertRecovery(
  entries: readonly RecoveryEntry[],
  entry: RecoveryEntry,
): readonly RecoveryEntry[] {
  const index = entries.findIndex((existing) => existing.id === entry.id);
  if (index === -1) return [...entries, entry].slice(-MAX_RECOVERY);
  return entries.map((existing, at) => (at === index ? entry : existing));
}
