/**
 * The external store between the client and React. Socket events are queued and applied at most every
 * `batchMs` (one state change and one React render per batch, never one per event); everything else is
 * applied at once. Read it with `useSyncExternalStore(store.subscribe, store.getSnapshot)`.
 */
import { terminalSafeValue } from '../protocol/terminal-text.js';
import type { MonEvent } from '../protocol/event.js';
import { createTuiState, reduce, type TuiAction, type TuiLimits, type TuiState } from './state/tui-state.js';

export interface TuiStoreOptions extends TuiLimits {
  batchMs?: number;
  /**
   * The wait after a batch of at least FLOOD_BATCH events (a flood: nobody reads 1,000 lines a second,
   * and each render costs the same whatever it shows). Defaults to `batchMs`.
   */
  floodBatchMs?: number;
  /** Clock tick for countdowns, uptime and rates; 0 turns it off. */
  tickMs?: number;
  now?: () => number;
}

export interface TuiStore {
  getSnapshot: () => TuiState;
  subscribe: (listener: () => void) => () => void;
  dispatch: (action: TuiAction) => void;
  /** Queues events for the next batch. */
  pushEvents: (events: readonly MonEvent[]) => void;
  /** Applies queued events now. */
  flush: () => void;
  /** How many times listeners were told of a change (for tests and the bench). */
  readonly notifications: number;
  dispose: () => void;
}

/** A batch this large means events flood in: the next one waits `floodBatchMs`. */
export const FLOOD_BATCH = 50;

/**
 * Whether the clock tick changes the state. A batch moves the clock too: a tick right after one, or
 * with one on its way (events are queued), would only draw one more screen.
 */
export function tickDue(now: number, lastFlush: number, eventsQueued: boolean, tickMs: number): boolean {
  return !eventsQueued && now - lastFlush >= tickMs / 2;
}

export function createTuiStore(options: TuiStoreOptions): TuiStore {
  const now = options.now ?? Date.now;
  const batchMs = options.batchMs ?? 50;
  const tickMs = options.tickMs ?? 1000;
  let waitMs = batchMs;
  let state = createTuiState(options, now());
  let pending: MonEvent[] = [];
  let pendingDropped = 0;
  let timer: NodeJS.Timeout | null = null;
  let lastFlush = 0;
  let notifications = 0;
  const listeners = new Set<() => void>();

  const notify = () => {
    notifications += 1;
    for (const listener of listeners) listener();
  };
  const apply = (action: TuiAction) => {
    const next = reduce(state, action);
    if (next === state) return;
    state = next;
    notify();
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    lastFlush = now();
    if (pending.length === 0 && pendingDropped === 0) return;
    const events = pending;
    const dropped = pendingDropped;
    pending = [];
    pendingDropped = 0;
    waitMs = events.length + dropped >= FLOOD_BATCH ? (options.floodBatchMs ?? batchMs) : batchMs;
    apply({ type: 'events', events, now: lastFlush, dropped });
  };
  const tick = () => {
    if (tickDue(now(), lastFlush, timer !== null, tickMs)) apply({ type: 'tick', now: now() });
  };
  const ticker = tickMs > 0 ? setInterval(tick, tickMs) : null;
  ticker?.unref();

  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch: apply,
    pushEvents(events) {
      // Producer text never reaches the terminal as escape sequences (protocol/terminal-text).
      for (const event of events) pending.push(terminalSafeValue(event));
      // Never hold more than the buffer could keep: older queued events would be dropped anyway.
      if (pending.length > options.bufferSize) {
        pendingDropped += pending.length - options.bufferSize;
        pending = pending.slice(-options.bufferSize);
      }
      if (!timer) timer = setTimeout(flush, Math.max(0, waitMs - (now() - lastFlush)));
    },
    flush,
    get notifications() {
      return notifications;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      if (ticker) clearInterval(ticker);
      timer = null;
      listeners.clear();
    },
  };
}
