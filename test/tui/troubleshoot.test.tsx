/**
 * The Troubleshoot view shows exactly doctor's findings: the same generator over the same facts.
 * A real daemon in its own home, no hooks installed, the view fed by the viewer's own doctor run.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { runDoctor } from '../../source/commands/doctor.js';
import type { FindingsOptions } from '../../source/doctor/findings.js';
import { App } from '../../source/tui/app.js';
import { watchFindings } from '../../source/tui/findings-watch.js';
import { createTuiStore, type TuiStore } from '../../source/tui/store.js';
import { makeTheme } from '../../source/tui/theme.js';
import { startDaemon, type DaemonProcess } from '../helpers/daemon.js';
import { makeHome, type Home } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';
import { tick } from './helpers.js';

let home: Home;
let daemon: DaemonProcess;
let options: FindingsOptions;
const stops: Array<() => void> = [];
const stores: TuiStore[] = [];

before(async () => {
  home = makeHome();
  daemon = await startDaemon(home);
  const user = join(home.path, 'user');
  const project = join(home.path, 'project');
  mkdirSync(user);
  mkdirSync(project);
  options = { env: { ...home.env, HOME: user }, cwd: project, homeDir: user, invoke: 'mpm-mon' };
});
after(async () => {
  await daemon.stop();
  home.remove();
});
afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
  for (const store of stores.splice(0)) store.dispose();
});

function view(columns = 120, rows = 60, ascii = false) {
  const store = createTuiStore({ bufferSize: 100, tickMs: 0 });
  stores.push(store);
  store.dispatch({ type: 'connection', state: { kind: 'connected', since: 0 } });
  const app = render(
    <App
      store={store}
      theme={makeTheme({ color: false, ascii })}
      columns={columns}
      rows={rows}
      address="x"
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  const press = async (key: string) => {
    app.stdin.write(key);
    await tick();
  };
  return { store, frame, press };
}

async function doctorText(): Promise<string> {
  let output = '';
  await runDoctor({
    json: false,
    fix: false,
    start: false,
    hooks: false,
    verbose: false,
    ascii: false,
    color: false,
    env: options.env,
    cwd: options.cwd,
    homeDir: options.homeDir,
    stdout: { write: (text: string) => (output += text), columns: 200 },
  });
  return output;
}

describe('the Troubleshoot view', () => {
  test("says what doctor says: hooks not installed is a warning there too, never 'Nothing to fix'", async () => {
    const { store, frame, press } = view();
    stops.push(watchFindings(store, options));
    await press('5');
    await waitFor(() => store.getSnapshot().findings, "the viewer's doctor run");
    await tick();
    const shown = frame();
    assert.doesNotMatch(shown, /Nothing to fix/);
    assert.match(shown, /Claude Code hooks: not installed in any Claude Code settings file/);
    assert.match(shown, /\$ mpm-mon install-hooks/);

    const report = store.getSnapshot().findings!.report;
    const text = await doctorText();
    const doctorTitles = [...text.matchAll(/^[✓!✗] (.+)$/gm)]
      .map((match) => match[1]!)
      .filter((title) => report.items.some((item) => item.title === title));
    assert.deepEqual(
      report.items.map((item) => item.title),
      doctorTitles,
      'every problem of the view is one of doctor, in the same order',
    );
    assert.ok(report.items.length > 0);
    for (const item of report.items) assert.ok(shown.includes(item.title), `the view shows "${item.title}"`);
    assert.match(shown, new RegExp(`Troubleshooting: ${report.items.length} warnings?`));
    assert.match(shown, /What is fine:/);
    assert.match(shown, /daemon reachable: 127\.0\.0\.1:\d+ answers/);
  });

  test('--ascii: the same findings with nothing outside ASCII', async () => {
    const { store, frame, press } = view(120, 60, true);
    stops.push(watchFindings(store, options));
    await press('5');
    await waitFor(() => store.getSnapshot().findings, "the viewer's doctor run");
    await tick();
    assert.match(frame(), /Claude Code hooks: not installed/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(frame(), /[^\u0000-\u007f]/);
    assert.match(frame(), /Troubleshooting: \d+ warnings? - checked \d\d:\d\d:\d\d/, 'no symbol became "?"');
  });

  test('before the first run it says the checks are running; what only the viewer knows comes first', async () => {
    const { store, frame, press } = view();
    await press('5');
    assert.match(frame(), /Running doctor's checks/);
    store.dispatch({
      type: 'connection',
      state: { kind: 'reconnecting', attempt: 3, inMs: 1000, retryAt: 2000, error: 'ECONNREFUSED' },
    });
    await tick();
    assert.match(frame(), /Not connected to the daemon\s+Attempt 3 failed \(ECONNREFUSED\)/);
  });
});
