import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../source/tui/app.js';
import { createTuiStore, type TuiStore } from '../../source/tui/store.js';
import { makeTheme } from '../../source/tui/theme.js';
import { healthReport, tick } from './helpers.js';
import { makeEvent, resetSeq, sessionEvents } from '../helpers/events.js';

const ESC = '\u001b';
let stores: TuiStore[] = [];

function setup(options: { columns?: number; rows?: number; color?: boolean; ascii?: boolean } = {}) {
  resetSeq();
  const store = createTuiStore({ bufferSize: 500, tickMs: 0 });
  stores.push(store);
  store.dispatch({ type: 'connection', state: { kind: 'connected', since: 0 } });
  store.dispatch({ type: 'health', report: healthReport('warn', 400) });
  store.pushEvents(sessionEvents());
  store.flush();
  const theme = makeTheme({ color: options.color ?? false, ascii: options.ascii ?? false });
  const app = render(
    <App
      store={store}
      theme={theme}
      columns={options.columns ?? 100}
      rows={options.rows ?? 24}
      address="127.0.0.1:8765"
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await tick();
    }
  };
  return { store, app, frame, press };
}

afterEach(() => {
  cleanup();
  for (const store of stores) store.dispose();
  stores = [];
});

function assertFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  assert.ok(lines.length <= rows - 1, `frame is ${lines.length} lines, more than ${rows - 1}`);
  for (const line of lines)
    assert.ok(Array.from(line).length <= columns, `line wider than ${columns}: "${line}"`);
}

describe('the TUI', () => {
  test('shows the header, the live events with summaries and paired durations, and the footer', async () => {
    const { frame } = setup();
    await tick();
    const text = frame();
    assert.match(text, /● connected {2}127\.0\.0\.1:8765/);
    assert.match(text, /⚠ health warn/);
    assert.match(text, /\[1 Events\] 2 Sessions {2}3 Health {2}4 Recovery {2}5 Troubleshoot/);
    assert.match(text, /Pre +5f1c2d7e Bash +npm test -- payment-client +1\.0s/);
    assert.match(text, /Prompt +5f1c2d7e +Add a retry with exponential backoff/);
    assert.match(text, /q quit {2}\? help {2}\/ filter/);
    assertFits(text, 100, 24);
  });

  test('new events appear after the batch lands', async () => {
    const { store, frame } = setup();
    store.pushEvents([makeEvent('Notification', { seq: 100 }, { message: 'a brand new notice' })]);
    store.flush();
    await tick();
    assert.match(frame(), /a brand new notice/);
  });

  test('? opens the help overlay and Esc closes it', async () => {
    const { frame, press } = setup();
    await tick();
    await press('?');
    assert.match(frame(), /Keys {2}\(\? or Esc closes\)/);
    assert.match(frame(), /space, s +pause \/ follow/);
    await press(ESC);
    await tick(50);
    assert.doesNotMatch(frame(), /Keys {2}\(\? or Esc closes\)/);
  });

  test('keys that arrive in one read (fast typing, a paste) each count', async () => {
    const { frame, store, press } = setup();
    await tick();
    await press('2k');
    assert.equal(store.getSnapshot().ui.view, 'sessions', 'the first key switched the view');
    await press('1?');
    assert.match(frame(), /Keys {2}\(\? or Esc closes\)/, 'the second key opened the help');
  });

  test('/ filters as you type, Enter applies, the header says so', async () => {
    const { frame, press } = setup();
    await tick();
    await press('/', 't', 'o', 'o', 'l', ':', 'b', 'a', 's', 'h');
    assert.match(frame(), /\/tool:bash_/);
    await press('\r');
    const text = frame();
    assert.match(text, /filter: tool:bash/);
    assert.match(text, /Pre +5f1c2d7e Bash/);
    assert.doesNotMatch(text, /Prompt +5f1c2d7e/);
  });

  test('an invalid filter shows why', async () => {
    const { frame, press } = setup();
    await tick();
    await press('/', '/', '[');
    assert.match(frame(), /a \/regex\/ is not closed/);
  });

  test('space pauses, counts arrivals, and resumes', async () => {
    const { store, frame, press } = setup();
    await tick();
    await press(' ');
    store.pushEvents([makeEvent('Notification', { seq: 200 }, { message: 'arrived while paused' })]);
    store.flush();
    await tick();
    assert.match(frame(), /PAUSED \+1/);
    assert.doesNotMatch(frame(), /arrived while paused/);
    assert.match(frame(), /space resume/);
    await press(' ');
    assert.match(frame(), /arrived while paused/);
    assert.doesNotMatch(frame(), /PAUSED/);
  });

  test('Enter opens the selected event as pretty JSON; j scrolls it', async () => {
    const { frame, press } = setup();
    await tick();
    await press('k', 'k', 'k', '\r');
    assert.match(frame(), /#3 PreToolUse/);
    assert.match(frame(), /"command": "npm test -- payment-client"/);
    const before = frame();
    await press('j', 'j');
    assert.notEqual(frame(), before);
    await press(ESC);
    await tick(50);
    assert.match(frame(), /summary/);
  });

  test('number keys switch views: sessions, health with sparkline, recovery, troubleshoot', async () => {
    const { frame, press } = setup();
    await tick();
    await press('2');
    assert.match(frame(), /5f1c2d7e active/);
    await press('3');
    assert.match(frame(), /⚠ memoryMb +400 MB +300\/800 ▄/);
    await press('4');
    assert.match(frame(), /breaker closed · failures 0/);
    await press('5');
    // Doctor's findings (test/tui/troubleshoot.test.tsx); none are given here.
    assert.match(frame(), /Running doctor's checks/);
  });

  test('c clears the Events view', async () => {
    const { frame, press } = setup();
    await tick();
    await press('c');
    assert.match(frame(), /cleared; new events will appear here/);
  });

  for (const [columns, rows] of [
    [80, 24],
    [60, 20],
  ] as const) {
    test(`every view fits ${columns}x${rows} with nothing past the edge`, async () => {
      const { frame, press } = setup({ columns, rows });
      await tick();
      for (const key of ['1', '2', '3', '4', '5', '?']) {
        await press(key);
        assertFits(frame(), columns, rows);
      }
    });
  }

  test('narrow layout uses short labels and keeps the session column at 60', async () => {
    const { frame } = setup({ columns: 60, rows: 20 });
    await tick();
    assert.match(frame(), /\[1 Evts\] 2 Sess/);
    assert.match(frame(), /Pre +5f1c2d7e Bash +npm test/);
  });

  test('ASCII mode draws nothing outside ASCII', async () => {
    const { frame, press } = setup({ ascii: true });
    await tick();
    for (const key of ['1', '2', '3', '4', '5', '?']) {
      await press(key);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(frame(), /[^\u0000-\u007f]/, `view ${key} has non-ASCII characters`);
    }
    assert.match(frame(), /\* connected/);
  });

  test('no colour when colour is off', async () => {
    const { frame, press } = setup({ color: false });
    await tick();
    for (const key of ['1', '3', '5']) {
      await press(key);
      assert.doesNotMatch(frame(), new RegExp(`${ESC}\\[`), 'no escape sequences');
    }
  });

  test('follows a resize', async () => {
    const { store, app, frame } = setup({ columns: 100 });
    await tick();
    app.rerender(
      <App
        store={store}
        theme={makeTheme({ color: false, ascii: false })}
        columns={60}
        rows={20}
        address="127.0.0.1:8765"
      />,
    );
    await tick();
    assertFits(frame(), 60, 20);
    assert.match(frame(), /1 Evts/);
  });

  test('reconnecting and a daemon shutdown show in the header', async () => {
    const { store, frame } = setup();
    store.dispatch({ type: 'shutdown', message: { reason: 'restart requested', restarting: true } });
    store.dispatch({ type: 'tick', now: 1000 });
    store.dispatch({
      type: 'connection',
      state: { kind: 'reconnecting', attempt: 2, inMs: 3000, retryAt: 4000, error: null },
    });
    await tick();
    assert.match(frame(), /■ daemon stopped: restart requested · reconnecting in 3s, attempt 2/);
    store.dispatch({ type: 'connection', state: { kind: 'connected', since: 6 } });
    await tick();
    assert.match(frame(), /● connected/);
  });
});
