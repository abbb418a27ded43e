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

export function createTuiStore(options: TuiStoreOptions): TuiStore {
  const now = options.now ?? Date.now;
  const batchMs = options.batchMs ?? 50;
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
    apply({ type: 'events', events, now: lastFlush, dropped });
  };
  const ticker =
    (options.tickMs ?? 1000) > 0
      ? setInterval(() => apply({ type: 'tick', now: now() }), options.tickMs ?? 1000)
      : null;
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
      if (!timer) timer = setTimeout(flush, Math.max(0, batchMs - (now() - lastFlush)));
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
