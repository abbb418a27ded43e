/**
 * The TUI's terminal features in a real terminal (tmux): SGR mouse reporting on and off, OSC 52 into
 * tmux's clipboard, the NDJSON export, a fast `/text Enter`, narrow panes, NO_COLOR and --ascii.
 */
/* eslint-disable no-control-regex -- the assertions read escape sequences off the screen */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { postEvents, storyFixture } from './harness.js';
import { lineWith, Tmux } from './tmux.js';
import { CLI, type DaemonProcess, startDaemon } from '../helpers/daemon.js';
import { daemonTestEnv, type Home, homesRemovedAfter } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const STORY = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification'];

function payload(name: string): Record<string, unknown> {
  return JSON.parse(storyFixture(`${name}.json`)) as Record<string, unknown>;
}

/** A daemon in a home of its own that holds the five events of the story. */
async function daemonWithStory(): Promise<{ h: Home; daemon: DaemonProcess }> {
  const h = home();
  const daemon = await startDaemon(h);
  const answer = await postEvents(daemon.port, daemon.token, JSON.stringify(STORY.map(payload)));
  assert.equal(answer.status, 202, answer.text);
  return { h, daemon };
}

function eventRows(lines: string[]): string[] {
  return lines.filter((line) => /^[ ›>*]\d\d:\d\d:\d\d /.test(line));
}

/** Bytes typed in one write to the pane (so they reach the TUI in one read). */
function typeAtOnce(tmux: Tmux, text: string): void {
  tmux.tmux(
    'send-keys',
    '-t',
    'main',
    '-H',
    ...Array.from(Buffer.from(text, 'utf8'), (byte) => byte.toString(16)),
  );
}

/** An SGR mouse press (button 0, or 64/65 for the wheel) at a 1-based column and row. */
function mouse(tmux: Tmux, button: number, column: number, row: number): void {
  typeAtOnce(tmux, `\u001b[<${button};${column};${row}M`);
  if (button < 64) typeAtOnce(tmux, `\u001b[<${button};${column};${row}m`);
}

function mouseFlags(tmux: Tmux): string {
  return tmux.format('#{mouse_standard_flag}#{mouse_sgr_flag}');
}

describe('the TUI in a terminal: mouse, clipboard, export, NO_COLOR, narrow panes', () => {
  const tmux = new Tmux();
  let h: Home;
  let daemon: DaemonProcess;

  before(async () => {
    ({ h, daemon } = await daemonWithStory());
    tmux.start({
      command: [process.execPath, CLI, '--no-start'],
      env: { MPM_MON_HOME: h.path, NO_COLOR: '1', ...daemonTestEnv() },
      // As in a person's terminal: with CI set at all (even "false") chalk draws no bold or inverse.
      unset: ['CI', 'FORCE_COLOR'],
      width: 120,
      height: 40,
      holdAfterExit: true,
    });
    // OSC 52 from the pane sets tmux's paste buffer.
    tmux.tmux('set-option', '-g', 'set-clipboard', 'on');
    await tmux.waitForScreen((lines) => eventRows(lines).length === 5, 'the TUI with five events', 15_000);
  });

  after(async () => {
    tmux.kill();
    await daemon.stop();
  });

  test('mouse reporting is on (SGR); a click switches tab and selects a row; the wheel moves', async () => {
    assert.equal(mouseFlags(tmux), '11', 'normal tracking and SGR mode are on');
    const tabs = tmux.lines()[1]!;
    mouse(tmux, 0, tabs.indexOf('3 Health') + 2, 2);
    await tmux.waitForScreen(
      (lines) => lines[1]?.includes('[3 Health]') && lineWith(lines, 'overall'),
      'Health',
    );
    mouse(tmux, 0, tmux.lines()[1]!.indexOf('1 Events') + 2, 2);
    await tmux.waitForScreen((lines) => lines[1]?.startsWith('[1 Events]'), 'Events');
    // Row 4 is the first event (header 1-2, column titles 3).
    mouse(tmux, 0, 20, 5);
    await tmux.waitForScreen((lines) => eventRows(lines)[1]?.startsWith('›'), 'the second row selected');
    assert.match(tmux.lines()[1]!, / 2\/5/, 'the position says so');
    mouse(tmux, 65, 20, 10);
    await tmux.waitForScreen((lines) => eventRows(lines)[4]?.startsWith('›'), 'the wheel moved down');
  });

  test('NO_COLOR: no colour at all, the active tab in brackets and inverse, the selected row inverse with its marker', () => {
    const screen = tmux.capture({ escapes: true });
    assert.doesNotMatch(screen, /\u001b\[[0-9;]*(3[0-7]|9[0-7]|38;|4[0-7])[0-9;]*m/, 'no colour codes');
    const tabs = screen.split('\n')[1]!;
    assert.match(
      tabs,
      /\u001b\[[0-9;]*7[0-9;]*m\[1 Events\]/,
      `the active tab is inverse: ${JSON.stringify(tabs)}`,
    );
    const selected = screen.split('\n').find((line) => line.includes('›'))!;
    assert.match(selected, /\u001b\[[0-9;]*7[0-9;]*m›/, 'the selected row is inverse');
  });

  test('y puts the selected event on the clipboard through OSC 52 (tmux paste buffer)', async () => {
    tmux.keys('y');
    await tmux.waitForScreen((lines) => lineWith(lines, 'to the clipboard (OSC 52)'), 'the copy notice');
    const copied = await waitFor(() => {
      try {
        return tmux.tmux('show-buffer');
      } catch {
        return '';
      }
    }, 'the tmux buffer');
    const event = JSON.parse(copied) as { type: string; data: { message: string } };
    assert.equal(event.type, 'Notification');
    assert.equal(event.data.message, 'Claude needs your permission to use Bash');
  });

  test('a fast "/type:Pre Enter 2" applies the filter and 2 switches view; e exports the filtered view', async () => {
    typeAtOnce(tmux, '/type:pre\r');
    await tmux.waitForScreen(
      (lines) => lineWith(lines, 'filter: type:pre') && eventRows(lines).length === 1,
      'the filter applied',
    );
    tmux.keys('e');
    const notice = await tmux.waitForScreen(
      (lines) => lineWith(lines, 'exported 1 event(s) to'),
      'the export',
    );
    const dir = join(h.path, 'exports');
    assert.ok(notice.includes(dir), notice);
    const [file] = readdirSync(dir);
    const exported = readFileSync(join(dir, file!), 'utf8').trimEnd().split('\n');
    assert.deepEqual(
      exported.map((line) => (JSON.parse(line) as { type: string }).type),
      ['PreToolUse'],
    );
    typeAtOnce(tmux, '\u001b');
    await tmux.waitForScreen((lines) => eventRows(lines).length === 5, 'the filter cleared');
  });

  test('narrow panes: the session column at 60, the health state at 40, check names whole at 120', async () => {
    tmux.resize(60, 20);
    const at60 = await tmux.waitForScreen(
      (lines) => (lines[1]?.startsWith('[1 Evts]') && eventRows(lines).length === 5 ? lines : null),
      '60x20',
    );
    for (const row of eventRows(at60)) assert.match(row, / 5f1c2d7e /, row);
    tmux.resize(40, 15);
    const at40 = await tmux.waitForScreen(
      (lines) => (lines[1]?.startsWith('[1 Evts]') ? lines : null),
      '40x15',
    );
    assert.match(at40[0]!, /● connected .*[✓⚠✗] (pass|warn|fail)/, at40[0]);
    tmux.keys('?');
    const help = await tmux.waitForScreen(
      (lines) => (lineWith(lines, 'Keys  (') ? lines : null),
      'the help at 40',
    );
    for (const line of help) assert.ok(Array.from(line.trimEnd()).length <= 40, line);
    tmux.keys('Escape');
    tmux.resize(120, 40);
    tmux.keys('3');
    const health = await tmux.waitForScreen(
      (lines) =>
        lines[1]?.includes('[3 Health]') && lineWith(lines, 'service:deliveryBacklog') ? lines : null,
      'Health at 120',
    );
    assert.ok(
      !health.some((line) => /\w…/.test(line.slice(0, 30))),
      `a check name is cut:\n${health.join('\n')}`,
    );
    tmux.keys('1');
    await tmux.waitForScreen((lines) => lines[1]?.startsWith('[1 Events]'), 'Events at 120');
  });

  test('q turns mouse reporting off again', async () => {
    tmux.keys('q');
    await tmux.waitForScreen(
      (lines) => lines.some((line) => /^\[exited \d+\]$/.test(line)),
      'the exit',
      10_000,
    );
    assert.equal(mouseFlags(tmux), '00');
    tmux.keys('Enter');
  });
});

describe('the TUI with --ascii --no-mouse', () => {
  const tmux = new Tmux();
  let h: Home;
  let daemon: DaemonProcess;

  before(async () => {
    ({ h, daemon } = await daemonWithStory());
    tmux.start({
      command: [process.execPath, CLI, '--no-start', '--ascii', '--no-mouse'],
      env: { MPM_MON_HOME: h.path, CI: 'false', ...daemonTestEnv() },
      width: 80,
      height: 24,
    });
    await tmux.waitForScreen((lines) => eventRows(lines).length === 5, 'the TUI with five events', 15_000);
  });

  after(async () => {
    tmux.kill();
    await daemon.stop();
  });

  test('only ASCII on screen, "·" drawn as "-" (never "?"); no mouse reporting', async () => {
    const screen = tmux.lines();
    for (const line of screen) assert.match(line, /^[\x20-\x7e]*$/, line);
    assert.ok(lineWith(screen, 'startup - claude-sonnet'), screen.join('\n'));
    assert.ok(!lineWith(screen, 'startup ? claude'), 'no question mark for the middle dot');
    assert.equal(mouseFlags(tmux), '00');
    tmux.keys('3');
    const health = await tmux.waitForScreen((lines) => (lineWith(lines, 'overall') ? lines : null), 'Health');
    for (const line of health) assert.match(line, /^[\x20-\x7e]*$/, line);
  });
});
