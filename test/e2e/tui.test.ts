/**
 * The TUI end to end: the real binary in a real terminal (tmux) against a real daemon. What is asserted
 * is what a person would see on the screen after typing the keys; and, without a terminal, the stream
 * as lines or NDJSON.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { postEvents, storyFixture } from './harness.js';
import { lineWith, Tmux } from './tmux.js';
import { Children, collectStdout, exited } from '../helpers/processes.js';
import { CLI, type DaemonProcess, runCli, startDaemon } from '../helpers/daemon.js';
import { daemonTestEnv, type Home, homesRemovedAfter } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();

function payload(name: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(JSON.parse(storyFixture(`${name}.json`)) as Record<string, unknown>), ...patch };
}

/** A PreToolUse unlike any other (the daemon stores a repeated payload once). */
function bash(command: string): Record<string, unknown> {
  return payload('PreToolUse', {
    tool_input: { command },
    tool_use_id: `toolu_${command.replace(/\W/g, '_')}`,
  });
}

async function post(daemon: DaemonProcess, payloads: Array<Record<string, unknown>>): Promise<number[]> {
  const answer = await postEvents(daemon.port, daemon.token, JSON.stringify(payloads));
  assert.equal(answer.status, 202, answer.text);
  return answer.body.seqs as number[];
}

/** The Events view's event rows (time first, `›` marks the selection, `*` a match of the find). */
function eventRows(lines: string[]): string[] {
  return lines.filter((line) => /^[ ›*]\d\d:\d\d:\d\d /.test(line));
}

/**
 * `mpm-mon <args>` without blocking this process: the harness's daemon is our child, and while a
 * synchronous spawn blocks, the daemon that `restart` stops stays an unreaped zombie that `stop` waits on.
 */
function runCliAsync(h: Home, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return exited(child).then((code) => {
    clearTimeout(timer);
    return { code, output };
  });
}

const FIRST_FIVE: Array<[type: string, summary: string]> = [
  ['Start', 'startup · claude-sonnet-4-5-20250929'],
  ['Prompt', 'Add a retry with exponential backoff'],
  ['Pre', 'npm test -- payment-client'],
  ['Post', 'src/payment-client.ts'],
  ['Notify', 'Claude needs your permission to use Bash'],
];

describe('the TUI in a terminal', () => {
  const tmux = new Tmux();
  let h: Home;
  let daemon: DaemonProcess;

  before(async () => {
    h = home();
    daemon = await startDaemon(h);
    tmux.start({
      command: [process.execPath, CLI, '--no-start'],
      env: { MPM_MON_HOME: h.path, CI: 'false', NO_COLOR: '1', ...daemonTestEnv() },
      width: 100,
      height: 30,
      holdAfterExit: true,
    });
    await tmux.waitForScreen((lines) => lines[0]?.startsWith('● connected'), 'the TUI to attach', 15_000);
  });

  after(async () => {
    tmux.kill();
    await daemon.stop();
    // `restart` below leaves a daemon this file did not spawn: end it by the pid it wrote.
    const pid = h.pidFile()?.pid;
    if (pid && pid !== daemon.pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  });

  test('events appear live, each with its type and summary, in order', async () => {
    const hook = runCli(h, ['hook'], storyFixture('SessionStart.json'));
    assert.equal(hook.code, 0, hook.stderr);
    await post(daemon, [
      payload('UserPromptSubmit'),
      payload('PreToolUse'),
      payload('PostToolUse'),
      payload('Notification'),
    ]);
    const rows = await tmux.waitForScreen(
      (lines) => (eventRows(lines).length === 5 ? eventRows(lines) : null),
      'five event rows',
    );
    FIRST_FIVE.forEach(([type, summary], index) => {
      assert.match(rows[index]!, new RegExp(`^[ ›]\\d\\d:\\d\\d:\\d\\d ${type} +5f1c2d7e `), rows[index]);
      assert.ok(rows[index]!.includes(summary), `row ${index} shows "${summary}": ${rows[index]}`);
    });
    assert.ok(rows[4]!.startsWith('›'), 'the newest event is selected (following)');
  });

  test('? shows the help and Esc closes it', async () => {
    tmux.keys('?');
    await tmux.waitForScreen(
      (lines) => lineWith(lines, 'Keys  (? or Esc closes)') && lineWith(lines, 'switch view'),
      'the help',
    );
    assert.equal(eventRows(tmux.lines()).length, 0, 'the help covers the list');
    tmux.keys('Escape');
    await tmux.waitForScreen(
      (lines) => !lineWith(lines, 'Keys  (') && eventRows(lines).length === 5,
      'the list again',
    );
  });

  test('/ type:PreToolUse narrows the list; Esc clears the filter', async () => {
    tmux.keys('/');
    await tmux.waitForScreen((lines) => lines.some((line) => line.startsWith('/_')), 'the filter prompt');
    tmux.type('type:PreToolUse');
    await tmux.waitForScreen((lines) => lineWith(lines, '/type:PreToolUse_'), 'the typed filter');
    tmux.keys('Enter');
    const rows = await tmux.waitForScreen(
      (lines) =>
        lineWith(lines, 'filter: type:PreToolUse') &&
        lineWith(lines, 'q quit') &&
        eventRows(lines).length === 1
          ? eventRows(lines)
          : null,
      'only the PreToolUse row',
    );
    assert.match(rows[0]!, /Pre +5f1c2d7e Bash +npm test -- payment-client/);
    tmux.keys('Escape');
    await tmux.waitForScreen(
      (lines) => !lineWith(lines, 'filter:') && eventRows(lines).length === 5,
      'the whole list again',
    );
  });

  test('space pauses (new events counted, not shown) and resumes', async () => {
    tmux.keys('Space');
    await tmux.waitForScreen((lines) => lineWith(lines, 'PAUSED +0'), 'paused');
    await post(daemon, [bash('echo while-paused-1'), bash('echo while-paused-2')]);
    await tmux.waitForScreen((lines) => lineWith(lines, 'PAUSED +2'), 'two events counted while paused');
    const paused = tmux.lines();
    assert.equal(eventRows(paused).length, 5, paused.join('\n'));
    assert.ok(!lineWith(paused, 'while-paused'), 'not shown while paused');
    assert.ok(lineWith(paused, 'space resume'), 'the footer says how to resume');

    tmux.keys('Space');
    const rows = await tmux.waitForScreen(
      (lines) => (!lineWith(lines, 'PAUSED') && eventRows(lines).length === 7 ? eventRows(lines) : null),
      'resumed with the two new events',
    );
    assert.ok(rows[5]!.includes('echo while-paused-1'), rows[5]);
    assert.ok(rows[6]!.includes('echo while-paused-2') && rows[6]!.startsWith('›'), rows[6]);
  });

  test('Enter opens the selected event as JSON; Esc closes it', async () => {
    const [seq] = await post(daemon, [bash('echo open-me')]);
    await tmux.waitForScreen((lines) => eventRows(lines).at(-1)?.includes('echo open-me'), 'the new event');
    tmux.keys('Enter');
    const screen = await tmux.waitForScreen(
      (lines) => (lineWith(lines, `#${seq} PreToolUse`) ? lines : null),
      'the detail overlay',
    );
    assert.ok(lineWith(screen, `"seq": ${seq},`), screen.join('\n'));
    assert.ok(lineWith(screen, '"type": "PreToolUse",'));
    assert.ok(lineWith(screen, '"sessionId": "5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f",'));
    assert.ok(lineWith(screen, '"command": "echo open-me"'));
    assert.equal(eventRows(screen).length, 0);
    tmux.keys('Escape');
    await tmux.waitForScreen((lines) => eventRows(lines).length === 8, 'the list again');
  });

  test('2 shows the session, 3 the health checks, 1 the events again', async () => {
    tmux.keys('2');
    const sessions = await tmux.waitForScreen(
      (lines) => (lineWith(lines, '1 session(s)') ? lines : null),
      'the Sessions view',
    );
    const row = lineWith(sessions, '5f1c2d7e', 'active');
    assert.ok(row, sessions.join('\n'));
    assert.ok(row.includes('/home/dev/shop'), row);
    assert.equal(eventRows(sessions).length, 0);

    tmux.keys('3');
    const health = await tmux.waitForScreen(
      (lines) => (lineWith(lines, 'overall') ? lines : null),
      'the Health view',
      10_000,
    );
    for (const check of ['process:memory', 'network:status', 'journal:writable', 'service:clients'])
      assert.match(lineWith(health, check) ?? '', /^ [✓⚠✗] /, `${check} is listed with its status`);
    assert.match(lineWith(health, 'process:memory')!, /MiB/);

    tmux.keys('1');
    await tmux.waitForScreen((lines) => eventRows(lines).length === 8, 'the Events view');
  });

  test('a resize relayouts: no line wider than the terminal, nothing left of the old frame', async () => {
    const narrow = (lines: string[]) =>
      lines[0]?.startsWith('● connected') &&
      lines[1]?.startsWith('[1 Evts]') &&
      lines[18]?.startsWith('q quit') &&
      eventRows(lines).length === 8;
    tmux.resize(60, 20);
    await tmux.waitForScreen(narrow, 'the 60×20 layout');
    // -J joins lines the terminal wrapped: a line the TUI drew too wide shows here as longer than 60.
    const joined = tmux.capture({ join: true }).replace(/\n$/, '').split('\n');
    for (const line of joined) assert.ok(Array.from(line.trimEnd()).length <= 60, `wider than 60: "${line}"`);
    assert.equal(joined.filter((line) => line.includes('connected')).length, 1, joined.join('\n'));
    assert.equal(joined.filter((line) => line.includes('q quit')).length, 1, joined.join('\n'));
    assert.ok(
      lineWith(joined, '5f1c2d7e Bash     npm test --'),
      'the session column and the summaries still show',
    );

    tmux.resize(100, 30);
    await tmux.waitForScreen(
      (lines) =>
        lines[1]?.startsWith('[1 Events]') &&
        lines[28]?.startsWith('q quit') &&
        lines.filter((line) => line.includes('q quit')).length === 1,
      'the 100×30 layout again',
    );
  });

  test('after `mpm-mon restart` the TUI reconnects; later events appear, none twice', async () => {
    const restarted = await runCliAsync(h, ['restart']);
    assert.equal(restarted.code, 0, restarted.output);
    await daemon.exited;
    assert.notEqual(h.pidFile()?.pid, daemon.pid, 'a new daemon');
    assert.equal(h.pidFile()?.port, daemon.port, 'on the same port');
    await tmux.waitForScreen((lines) => lines[0]?.startsWith('● connected'), 'connected again', 15_000);
    await post(daemon, [bash('echo after-restart-1'), bash('echo after-restart-2')]);
    const rows = await tmux.waitForScreen(
      (lines) => (eventRows(lines).at(-1)?.includes('echo after-restart-2') ? eventRows(lines) : null),
      'the events posted after the restart',
      10_000,
    );
    const summaries = [
      ...FIRST_FIVE.map(([, summary]) => summary),
      'echo while-paused-1',
      'echo while-paused-2',
      'echo open-me',
      'echo after-restart-1',
      'echo after-restart-2',
    ];
    assert.equal(rows.length, summaries.length, rows.join('\n'));
    summaries.forEach((summary, index) =>
      assert.ok(rows[index]!.includes(summary), `${index}: ${rows[index]}`),
    );
    assert.ok(!lineWith(tmux.lines(), 'missed'), 'no gap reported');
  });

  test('q exits 0 and gives the terminal back', async () => {
    tmux.keys('q');
    // The shell around the TUI prints the TUI's own exit status, then waits for Enter.
    const screen = await tmux.waitForScreen(
      (lines) => (lines.some((line) => /^\[exited \d+\]$/.test(line)) ? lines : null),
      'the shell to report the exit',
      10_000,
    );
    assert.ok(lineWith(screen, '[exited 0]'), screen.join('\n'));
    assert.equal(tmux.format('#{alternate_on}'), '0', 'left the alternate screen');
    assert.equal(tmux.format('#{cursor_flag}'), '1', 'the cursor is visible again');
    assert.ok(!lineWith(screen, 'connected') && eventRows(screen).length === 0, screen.join('\n'));
    tmux.keys('Enter');
    const ended = await waitFor(() => tmux.exitStatus(), 'the pane to end', 10_000);
    assert.ok(ended.code === null || ended.code === 0, `the pane ended with ${JSON.stringify(ended)}`);
  });
});

describe('without a terminal', () => {
  const children = new Children();
  let h: Home;
  let daemon: DaemonProcess;

  before(async () => {
    h = home();
    daemon = await startDaemon(h);
  });

  after(async () => {
    children.killAll();
    await daemon.stop();
  });

  /** `mpm-mon --no-start [...args]` with stdout a pipe; resolves once it is attached. */
  async function attach(args: string[]) {
    const child = children.spawn(process.execPath, [CLI, '--no-start', ...args], { env: h.env });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const stdout = collectStdout(child);
    await waitFor(() => stderr.includes('mpm-mon: connected'), 'the stream to attach', 15_000);
    return { child, stdout, stderr: () => stderr };
  }

  test('the live stream comes as lines', async () => {
    const stream = await attach([]);
    const [start, pre] = await post(daemon, [payload('SessionStart'), payload('PreToolUse')]);
    const text = await waitFor(
      () => (stream.stdout().split('\n').length > 2 ? stream.stdout() : null),
      'two lines',
    );
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 2, text);
    assert.match(
      lines[0]!,
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  #${start}  SessionStart  5f1c2d7e  startup · claude-sonnet`,
      ),
    );
    assert.match(lines[1]!, new RegExp(`  #${pre}  PreToolUse  5f1c2d7e  Bash  npm test -- payment-client$`));
    assert.ok(!text.includes('\u001b'), 'no escape sequences in a pipe');
    stream.child.kill('SIGTERM');
    assert.equal(await exited(stream.child), 143, 'SIGTERM ends the stream with 128 + 15');
  });

  test('with --json the live stream is NDJSON', async () => {
    const stream = await attach(['--json']);
    const seqs = await post(daemon, [payload('Notification'), payload('Stop')]);
    const text = await waitFor(
      () => (stream.stdout().split('\n').length > 2 ? stream.stdout() : null),
      'two lines',
    );
    const events = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      events.map((event) => [event.seq, event.type, event.sessionId]),
      [
        [seqs[0], 'Notification', '5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f'],
        [seqs[1], 'Stop', '5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f'],
      ],
    );
    assert.equal(events[0].data.message, 'Claude needs your permission to use Bash');
    stream.child.kill('SIGTERM');
    assert.equal(await exited(stream.child), 143, 'SIGTERM ends the stream with 128 + 15');
  });
});
