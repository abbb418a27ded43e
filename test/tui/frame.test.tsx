import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Profiler } from 'react';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../source/tui/app.js';
import { frameOf, frameSelector, type FrameLayout } from '../../source/tui/frame.js';
import { createTuiState, reduce, type TuiState } from '../../source/tui/state/tui-state.js';
import { createTuiStore, tickDue, type TuiStore } from '../../source/tui/store.js';
import { makeTheme } from '../../source/tui/theme.js';
import type { SessionsAnswer } from '../../source/protocol/messages.js';
import { tick } from './helpers.js';
import { makeEvent, resetSeq, sessionEvents } from '../helpers/events.js';

const theme = makeTheme({ color: true, ascii: false });
const layout: FrameLayout = { theme, width: 100, bodyHeight: 20, address: '127.0.0.1:8765' };

const answer = (generatedAt: string): SessionsAnswer => ({
  generatedAt,
  pricesAsOf: '2025-06-01',
  sessions: [],
  tools: [],
});

function connected(): TuiState {
  resetSeq();
  let state = createTuiState({ bufferSize: 100 }, Date.parse('2025-06-01T10:00:00Z'));
  state = reduce(state, { type: 'connection', state: { kind: 'connected', since: 0 } });
  return reduce(state, { type: 'events', events: sessionEvents(), now: state.now });
}

describe('the frame', () => {
  test('a state change that moves no row gives the same frame back; a visible one a new frame', () => {
    const select = frameSelector(layout);
    const before = connected();
    const first = select(before);
    assert.equal(select(before), first, 'the same state, the same frame');
    // The daemon's sessions answer shows in the Sessions view only: on the Events view nothing moves.
    const answered = reduce(before, { type: 'sessions', answer: answer('2025-06-01T10:00:05Z') });
    assert.notEqual(answered, before);
    assert.equal(select(answered), first);
    const again = reduce(answered, { type: 'sessions', answer: answer('2025-06-01T10:00:07Z') });
    assert.equal(select(again), first);
    // A new event is a new row.
    const arrived = reduce(again, { type: 'events', events: [makeEvent('Stop')], now: again.now });
    const second = select(arrived);
    assert.notEqual(second, first);
    assert.deepEqual(second, frameOf(arrived, layout));
    // On the Sessions view the same answer is visible: the frame follows it.
    const sessionsView = reduce(arrived, { type: 'view', view: 'sessions' });
    assert.notEqual(select(sessionsView), second);
  });

  test('the rows are the ones drawn: header, body and footer fit the layout', () => {
    const frame = frameOf(connected(), layout);
    assert.equal(frame.header.length, 2);
    assert.ok(frame.body.length <= layout.bodyHeight);
    assert.equal(frame.footer.length, 1);
    assert.equal(frame.scrollLines, null, 'the Events view windows itself');
    assert.equal(frame.body.length, 1 + sessionEvents().length, 'the title and one row per event');
    assert.match(frame.header[0]!, /connected/);
  });

  test('the clock ticks only when no batch is on its way or just landed', () => {
    assert.equal(tickDue(10_000, 9_000, false, 1000), true);
    assert.equal(tickDue(10_000, 9_800, false, 1000), false, 'a batch just moved the clock');
    assert.equal(tickDue(10_000, 5_000, true, 1000), false, 'a queued batch will move it');
  });
});

describe('the app renders only what changed', () => {
  let stores: TuiStore[] = [];
  afterEach(() => {
    cleanup();
    for (const store of stores) store.dispose();
    stores = [];
  });

  test('a store change with no visible change renders nothing; an event renders once', async () => {
    const store = createTuiStore({ bufferSize: 100, tickMs: 0 });
    stores.push(store);
    resetSeq();
    store.dispatch({ type: 'connection', state: { kind: 'connected', since: 0 } });
    store.pushEvents(sessionEvents());
    store.flush();
    let commits = 0;
    const app = render(
      <Profiler id="app" onRender={() => (commits += 1)}>
        <App store={store} theme={theme} columns={100} rows={24} address="127.0.0.1:8765" />
      </Profiler>,
    );
    await tick();
    const settled = commits;
    const notified = store.notifications;
    store.dispatch({ type: 'sessions', answer: answer('2025-06-01T10:00:05Z') });
    store.dispatch({ type: 'sessions', answer: answer('2025-06-01T10:00:07Z') });
    await tick();
    assert.equal(store.notifications, notified + 2, 'the store did change');
    assert.equal(commits, settled, 'but nothing was rendered');
    store.pushEvents([makeEvent('PreToolUse', {}, { tool_input: { command: 'make frames' } })]);
    store.flush();
    await tick();
    assert.equal(commits, settled + 1);
    assert.match(app.lastFrame() ?? '', /make frames/);
  });
});
