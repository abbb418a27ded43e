// Producer text never reaches the terminal as a command: an OSC title sequence in `cwd`, CSI and C1
// controls in a command are stripped from every view of the TUI and from plain `events` lines.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import { terminalSafe, terminalSafeValue } from '../../source/protocol/terminal-text.js';
import { App } from '../../source/tui/app.js';
import { formatEventLine } from '../../source/tui/plain.js';
import { createTuiStore, type TuiStore } from '../../source/tui/store.js';
import { makeTheme } from '../../source/tui/theme.js';
import { makeEvent, resetSeq } from '../helpers/events.js';
import { tick } from './helpers.js';

const OSC_TITLE = '\u001b]0;pwned-title\u0007';
const HOSTILE_CWD = `/home/dev/${OSC_TITLE}shop\u009b2J\u009d2;c1-title\u009c`;
const HOSTILE_COMMAND = `ls \u001b[2J\u001b[31mred\u001bP+q\u001b\\ done\r\u0008x`;
// Anything that makes a terminal act: ESC, C1 controls, BEL, CR, backspace.
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function hostileEvents() {
  resetSeq();
  return [
    makeEvent('SessionStart', { cwd: HOSTILE_CWD }, { cwd: HOSTILE_CWD }),
    makeEvent(
      'PreToolUse',
      { cwd: HOSTILE_CWD, tool: 'Bash' },
      { cwd: HOSTILE_CWD, tool_name: 'Bash', tool_input: { command: HOSTILE_COMMAND } },
    ),
  ];
}

describe('terminalSafe', () => {
  test('removes escape sequences whole (CSI, OSC, DCS; 7- and 8-bit) and other controls; keeps newlines and tabs', () => {
    assert.equal(terminalSafe(HOSTILE_CWD), '/home/dev/shop');
    assert.equal(terminalSafe(HOSTILE_COMMAND), 'ls red donex');
    assert.equal(terminalSafe('a\nb\tc'), 'a\nb\tc');
    assert.equal(terminalSafe('plain ü€𝄞'), 'plain ü€𝄞');
    assert.equal(terminalSafe('cut \u001b]0;no end'), 'cut ');
  });

  test('terminalSafeValue cleans strings and keys at any depth and shares what needs no change', () => {
    const clean = { a: ['x', { b: 1 }] };
    assert.equal(terminalSafeValue(clean), clean);
    assert.deepEqual(terminalSafeValue({ [`k${OSC_TITLE}`]: [`v\u009b1m`] }), { k: ['v'] });
  });
});

let stores: TuiStore[] = [];
afterEach(() => {
  cleanup();
  for (const store of stores) store.dispose();
  stores = [];
});

describe('the screen', () => {
  test('an OSC title in cwd never reaches an Ink frame: events, detail and sessions views', async () => {
    const store = createTuiStore({ bufferSize: 50, tickMs: 0 });
    stores.push(store);
    store.dispatch({ type: 'connection', state: { kind: 'connected', since: 0 } });
    store.pushEvents(hostileEvents());
    store.flush();
    const app = render(
      <App
        store={store}
        theme={makeTheme({ color: false, ascii: false })}
        columns={120}
        rows={30}
        address="127.0.0.1:8765"
      />,
    );
    const frames: string[] = [];
    const look = async (key?: string) => {
      if (key) app.stdin.write(key);
      await tick();
      frames.push(app.lastFrame() ?? '');
    };
    await look();
    await look('\r'); // the selected event's detail (pretty JSON of data)
    await look('\u001b'); // back
    await look('2'); // sessions
    assert.ok(
      frames.some((frame) => frame.includes('/home/dev/shop')),
      'the cwd is shown, cleaned',
    );
    for (const frame of frames) {
      assert.doesNotMatch(frame, ACTIVE);
      assert.ok(!frame.includes('pwned-title') && !frame.includes('c1-title'), frame);
    }
  });

  test('plain `events` lines carry no escape sequence; --json stays the exact event', () => {
    for (const event of hostileEvents()) {
      const line = formatEventLine(event);
      assert.doesNotMatch(line, ACTIVE);
      assert.ok(!line.includes('pwned-title'));
      assert.equal(JSON.parse(JSON.stringify(event)).cwd, HOSTILE_CWD);
    }
  });
});
