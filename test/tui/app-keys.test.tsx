/** The keys, mouse and effects in the Ink app (ink-testing-library): what a person sees after typing. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../source/tui/app.js';
import { osc52, terminalEffects, type TuiEffects } from '../../source/tui/effects.js';
import { createTuiStore, type TuiStore } from '../../source/tui/store.js';
import { makeTheme } from '../../source/tui/theme.js';
import type { MonEvent } from '../../source/protocol/event.js';
import { makeEvent, resetSeq, sessionEvents } from '../helpers/events.js';
import { waitFor } from '../helpers/wait.js';
import { healthReport, tick } from './helpers.js';

let stores: TuiStore[] = [];
const dirs: string[] = [];

function setup(options: { columns?: number; rows?: number; effects?: TuiEffects; events?: MonEvent[] } = {}) {
  resetSeq();
  const store = createTuiStore({ bufferSize: 500, tickMs: 0 });
  stores.push(store);
  store.dispatch({ type: 'connection', state: { kind: 'connected', since: 0 } });
  store.dispatch({ type: 'health', report: healthReport('warn', 400) });
  store.pushEvents(options.events ?? sessionEvents());
  store.flush();
  const app = render(
    <App
      store={store}
      theme={makeTheme({ color: false, ascii: false })}
      columns={options.columns ?? 100}
      rows={options.rows ?? 24}
      address="127.0.0.1:8765"
      effects={options.effects}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  const until = (pattern: RegExp, what: string) => waitFor(() => pattern.test(frame()), what);
  return { store, app, frame, until };
}

afterEach(() => {
  cleanup();
  for (const store of stores) store.dispose();
  stores = [];
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('keys in the app', () => {
  test('/ then text and Enter in one read: the filter applies and the next key is a key', async () => {
    const { app, frame, until } = setup();
    await tick();
    app.stdin.write('/');
    await until(/^\/_/m, 'the filter prompt');
    app.stdin.write('type:Pre\r');
    await until(/filter: type:Pre/, 'the filter applied');
    app.stdin.write('2');
    await until(/\[2 Sessions\]/, 'the Sessions view (2 was a key, not filter text)');
    assert.doesNotMatch(frame(), /type:Pre2/);
  });

  test('y copies the selected event as JSON and says so; e exports the filtered view and says where', async () => {
    const copied: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'mpm-mon-export-'));
    dirs.push(dir);
    const effects = {
      ...terminalEffects({ write: () => true }, dir),
      copy: (text: string) => void copied.push(text),
    };
    const { app, frame, until } = setup({ effects });
    await tick();
    app.stdin.write('y');
    await until(/copied event #6 as JSON \(\d+ B\) to the clipboard \(OSC 52\)/, 'the copy notice');
    assert.equal(JSON.parse(copied[0]!).type, 'Stop');
    assert.equal(JSON.parse(copied[0]!).seq, 6);
    app.stdin.write('/tool:Bash\r');
    await until(/filter: tool:Bash/, 'the filter');
    app.stdin.write('e');
    await until(/exported 2 event\(s\) to /, 'the export notice');
    const path = /exported 2 event\(s\) to (\S+)/.exec(frame().replace(/\n/g, ''))![1]!;
    assert.ok(path.startsWith(dir), path);
    const lines = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as MonEvent);
    assert.deepEqual(
      lines.map((event) => event.type),
      ['PreToolUse', 'PostToolUse'],
    );
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  test('OSC 52 carries the text as base64 of its UTF-8', () => {
    const sequence = osc52('{"a":"é"}');
    // eslint-disable-next-line no-control-regex
    const match = /^\u001b\]52;c;([A-Za-z0-9+/=]+)\u0007$/.exec(sequence);
    assert.ok(match, JSON.stringify(sequence));
    assert.equal(Buffer.from(match[1]!, 'base64').toString('utf8'), '{"a":"é"}');
  });

  test('a click on a tab switches view; a click on a row selects it; the wheel scrolls', async () => {
    const { app, frame, until } = setup();
    await tick();
    // Tabs row is screen row 2 (1-based); "3 Health" starts after "[1 Events] 2 Sessions ".
    const column = frame().split('\n')[1]!.indexOf('3 Health') + 2;
    app.stdin.write(`\u001b[<0;${column};2M`);
    await until(/\[3 Health\]/, 'the Health view');
    app.stdin.write('1');
    await until(/\[1 Events\]/, 'the Events view');
    // Rows: header 1-2, title 3, events from 4: row 5 is the second event (the prompt).
    app.stdin.write('\u001b[<0;10;5M');
    await until(/^›\d\d:\d\d:\d\d Prompt/m, 'the prompt row selected');
    assert.match(frame(), / 2\/6/);
    app.stdin.write('\u001b[<65;10;5M');
    await until(/^›\d\d:\d\d:\d\d Notify/m, 'the wheel moved the selection three rows down');
  });

  test("Esc from a session's events goes back to Sessions", async () => {
    const { app, until } = setup();
    await tick();
    app.stdin.write('2');
    await until(/1 session\(s\)/, 'the Sessions view');
    app.stdin.write('\r');
    await until(/Esc closes · Enter shows its events/, 'the detail');
    app.stdin.write('\r');
    await until(/filter: session:/, "the session's events");
    app.stdin.write('\u001b');
    await until(
      /\[2 Sessions\][\s\S]*Esc closes · Enter shows its events/,
      'back in the Sessions view, on its detail',
    );
  });

  test('b shows folded bookkeeping events and the header says which state it is in', async () => {
    const events = [...sessionEvents(), makeEvent('PostToolBatch', {}, { tool_calls: 1 })];
    const { app, frame, until } = setup({ events });
    await tick();
    assert.match(frame(), /1 bookkeeping folded \(b shows\)/);
    assert.doesNotMatch(frame(), /PostTo/);
    app.stdin.write('b');
    await until(/bookkeeping shown \(b folds\)/, 'the toggle');
    assert.match(frame(), /PostTo/);
  });
});
