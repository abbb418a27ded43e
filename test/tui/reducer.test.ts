import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyToAction } from '../../source/tui/state/keys.js';
import {
  createTuiState,
  reduce,
  selectedIndex,
  visibleEvents,
  type TuiAction,
  type TuiState,
} from '../../source/tui/state/tui-state.js';
import { healthReport, makeEvent, SESSION } from './helpers.js';

const NOW = Date.parse('2025-06-01T10:00:00.000Z');

function withEvents(count: number, bufferSize = 100): TuiState {
  const events = Array.from({ length: count }, (_, index) =>
    makeEvent('PreToolUse', { seq: index + 1 }, { tool_use_id: `t${index}` }),
  );
  return reduce(createTuiState({ bufferSize }, NOW), { type: 'events', events, now: NOW });
}

function run(state: TuiState, ...actions: TuiAction[]): TuiState {
  return actions.reduce(reduce, state);
}

const seqs = (state: TuiState) => visibleEvents(state).map((event) => event.seq);

describe('pause and follow', () => {
  test('pausing freezes the Events view and counts arrivals; resuming shows them and follows', () => {
    let state = run(withEvents(3), { type: 'togglePause' });
    state = reduce(state, {
      type: 'events',
      events: [4, 5].map((seq) => makeEvent('Stop', { seq })),
      now: NOW,
    });
    assert.deepEqual(seqs(state), [1, 2, 3]);
    assert.equal(state.ui.arrivedWhilePaused, 2);
    assert.equal(state.buffer.events.length, 5, 'nothing is lost while paused');
    state = reduce(state, { type: 'togglePause' });
    assert.deepEqual(seqs(state), [1, 2, 3, 4, 5]);
    assert.equal(state.ui.arrivedWhilePaused, 0);
    assert.equal(selectedIndex(state.ui, visibleEvents(state)), 4);
  });

  test('moving up stops following; new events keep the selection; G and l follow again', () => {
    let state = run(withEvents(10), { type: 'move', delta: -3, pageSize: 5 });
    assert.equal(state.ui.follow, false);
    assert.equal(state.ui.selectedSeq, 7);
    state = reduce(state, { type: 'events', events: [makeEvent('Stop', { seq: 11 })], now: NOW });
    assert.equal(visibleEvents(state)[selectedIndex(state.ui, visibleEvents(state))]!.seq, 7);
    assert.equal(reduce(state, { type: 'bottom', pageSize: 5 }).ui.follow, true);
    const live = run(state, { type: 'togglePause' }, { type: 'view', view: 'health' }, { type: 'live' });
    assert.deepEqual([live.ui.follow, live.ui.paused, live.ui.view], [true, false, 'events']);
  });

  test('selection is clamped at both ends; g goes to the first', () => {
    const state = run(withEvents(5), { type: 'move', delta: -100, pageSize: 3 });
    assert.equal(state.ui.selectedSeq, 1);
    assert.equal(run(state, { type: 'move', delta: 100, pageSize: 3 }).ui.selectedSeq, 5);
    assert.equal(run(withEvents(5), { type: 'top', pageSize: 3 }).ui.selectedSeq, 1);
  });
});

describe('clear, filter, detail, sessions', () => {
  test('c hides what is there from the Events view only; new events show', () => {
    let state = run(withEvents(3), { type: 'clear' });
    assert.deepEqual(seqs(state), []);
    state = reduce(state, { type: 'events', events: [makeEvent('Stop', { seq: 4 })], now: NOW });
    assert.deepEqual(seqs(state), [4]);
    assert.equal(state.buffer.events.length, 4);
  });

  test('typing a filter applies it live; an invalid one keeps the last valid and shows the error', () => {
    let state = withEvents(3);
    state = reduce(state, { type: 'events', events: [makeEvent('Notification', { seq: 4 })], now: NOW });
    state = run(state, { type: 'filterStart' }, { type: 'filterDraft', text: 'type:notif' });
    assert.deepEqual(seqs(state), [4]);
    state = reduce(state, { type: 'filterDraft', text: 'type:notif /[' });
    assert.equal(state.ui.filterError, 'a /regex/ is not closed');
    assert.deepEqual(seqs(state), [4]);
    assert.equal(
      reduce(state, { type: 'filterCommit' }).ui.filterDraft,
      'type:notif /[',
      'Enter waits for a valid filter',
    );
    state = run(state, { type: 'filterDraft', text: 'type:notif' }, { type: 'filterCommit' });
    assert.equal(state.ui.filterDraft, null);
    assert.deepEqual(seqs(state), [4]);
    const cancelled = run(
      state,
      { type: 'filterStart' },
      { type: 'filterDraft', text: 'tool:bash' },
      { type: 'back' },
    );
    assert.equal(cancelled.ui.filter.source, 'type:notif', 'Esc while typing restores the previous filter');
    state = reduce(state, { type: 'back' });
    assert.deepEqual(seqs(state), [1, 2, 3, 4], 'Esc clears an applied filter');
  });

  test('Enter opens the selected event; Esc closes; scrolling stays within the given limit', () => {
    let state = run(withEvents(3), { type: 'move', delta: -1, pageSize: 5 }, { type: 'open' });
    assert.deepEqual(state.ui.overlay, { kind: 'detail', seq: 2, scroll: 0 });
    state = run(state, { type: 'move', delta: 10, pageSize: 5, maxScroll: 4 });
    assert.equal(state.ui.overlay?.scroll, 4);
    state = run(state, { type: 'top', pageSize: 5, maxScroll: 4 });
    assert.equal(state.ui.overlay?.scroll, 0);
    assert.equal(reduce(state, { type: 'back' }).ui.overlay, null);
  });

  test('Enter on a session opens its detail; Enter there filters the Events view to it', () => {
    let state = reduce(withEvents(2), {
      type: 'events',
      events: [makeEvent('Stop', { seq: 3, sessionId: 'other-session' })],
      now: NOW,
    });
    state = run(state, { type: 'view', view: 'sessions' });
    const detail = run(state, { type: 'open' });
    assert.deepEqual(detail.ui.overlay, { kind: 'session', sessionId: 'other-session', scroll: 0 });
    assert.equal(reduce(detail, { type: 'back' }).ui.overlay, null, 'Esc closes it');
    const first = run(detail, { type: 'open' });
    assert.equal(first.ui.view, 'events');
    assert.deepEqual(seqs(first), [3], 'the most recently active session is first');
    const second = run(state, { type: 'move', delta: 1, pageSize: 5 }, { type: 'open' }, { type: 'open' });
    assert.equal(second.ui.filter.source, `session:${SESSION}`);
    assert.deepEqual(seqs(second), [1, 2]);
  });

  test('help toggles; Tab cycles views both ways', () => {
    const state = run(withEvents(1), { type: 'toggleHelp' });
    assert.equal(state.ui.overlay?.kind, 'help');
    assert.equal(reduce(state, { type: 'toggleHelp' }).ui.overlay, null);
    assert.equal(run(state, { type: 'cycleView', delta: -1 }).ui.view, 'troubleshoot');
    assert.equal(
      run(state, { type: 'cycleView', delta: 1 }, { type: 'cycleView', delta: 1 }).ui.view,
      'health',
    );
  });
});

describe('daemon messages', () => {
  test('hello carries the first health report; shutdown is kept until connected again', () => {
    let state = createTuiState({ bufferSize: 10 }, NOW);
    state = reduce(state, {
      type: 'hello',
      hello: {
        version: '0.1.0',
        pid: 1,
        host: '127.0.0.1',
        port: 1,
        startedAt: '',
        uptimeSeconds: 1,
        lastSeq: 0,
        replay: null,
        health: healthReport('warn', 400),
      },
    });
    assert.equal(state.health?.status, 'warn');
    assert.deepEqual(state.healthHistory.checks.memoryMb?.values, [400]);
    state = run(state, { type: 'shutdown', message: { reason: 'restart requested', restarting: true } });
    state = reduce(state, {
      type: 'connection',
      state: { kind: 'reconnecting', attempt: 1, inMs: 100, retryAt: NOW + 100, error: null },
    });
    assert.equal(state.shutdown?.reason, 'restart requested');
    state = reduce(state, { type: 'connection', state: { kind: 'connected', since: 0 } });
    assert.equal(state.shutdown, null);
  });

  test('a gap counts missed events; events dropped before the state count as dropped', () => {
    let state = reduce(createTuiState({ bufferSize: 10 }, NOW), { type: 'gap', from: 11, to: 40 });
    assert.equal(state.missed, 30);
    state = reduce(state, { type: 'events', events: [makeEvent('Stop', { seq: 50 })], now: NOW, dropped: 7 });
    assert.equal(state.buffer.dropped, 7);
  });
});

describe('keymap', () => {
  const ui = createTuiState({ bufferSize: 10 }, NOW).ui;
  const key = (input: string, extra = {}) => keyToAction(input, extra, ui, 10);

  test('navigation, views, pause, help, quit', () => {
    assert.deepEqual(key('j'), { type: 'move', delta: 1, pageSize: 10 });
    assert.deepEqual(key('', { upArrow: true }), { type: 'move', delta: -1, pageSize: 10 });
    assert.deepEqual(key('', { pageDown: true }), { type: 'move', delta: 10, pageSize: 10 });
    assert.deepEqual(key('G'), { type: 'bottom', pageSize: 10 });
    assert.deepEqual(key('3'), { type: 'view', view: 'health' });
    assert.deepEqual(key('', { tab: true, shift: true }), { type: 'cycleView', delta: -1 });
    assert.deepEqual(key(' '), { type: 'togglePause' });
    assert.deepEqual(key('s'), { type: 'togglePause' });
    assert.deepEqual(key('?'), { type: 'toggleHelp' });
    assert.deepEqual(key('q'), { type: 'quit' });
    assert.deepEqual(key('c', { ctrl: true }), { type: 'quit' });
    assert.equal(key('x'), null);
    assert.equal(key('9'), null);
  });

  test('while typing a filter, letters are text and q does not quit', () => {
    const editing = { ...ui, filterDraft: 'to' };
    assert.deepEqual(keyToAction('q', {}, editing, 10), { type: 'filterDraft', text: 'toq' });
    assert.deepEqual(keyToAction('', { backspace: true }, editing, 10), { type: 'filterDraft', text: 't' });
    assert.deepEqual(keyToAction('', { return: true }, editing, 10), { type: 'filterCommit' });
    assert.deepEqual(keyToAction('', { escape: true }, editing, 10), { type: 'back' });
    assert.deepEqual(keyToAction('c', { ctrl: true }, editing, 10), { type: 'quit' });
  });
});

describe('recovery entries', () => {
  test('an attempt sent pending and then with its verdict is one entry, updated in place', () => {
    const entry = {
      id: 7,
      at: '2026-11-23T10:00:00.000Z',
      trigger: [
        { check: 'process:memory', status: 'fail' as const, observedValue: 900, observedUnit: 'MiB' },
      ],
      action: 'clear-connections' as const,
      outcome: 'pending' as const,
      durationMs: 3,
      breaker: 'closed' as const,
    };
    let state = reduce(createTuiState({ bufferSize: 10 }, NOW), { type: 'recovery', entry });
    state = reduce(state, { type: 'recovery', entry: { ...entry, id: 8, action: 'restart-service' } });
    state = reduce(state, { type: 'recovery', entry: { ...entry, outcome: 'succeeded' } });
    assert.deepEqual(
      state.recovery.map((item) => [item.id, item.outcome]),
      [
        [7, 'succeeded'],
        [8, 'pending'],
      ],
    );
  });
});
