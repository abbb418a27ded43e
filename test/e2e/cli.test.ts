import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLI, runCli, startDaemon } from '../helpers/daemon.js';
import { hookPayload } from '../helpers/events.js';
import { homesRemovedAfter, type Home } from '../helpers/temp-home.js';
import { postEvents } from './harness.js';
import { waitFor } from '../helpers/wait.js';
import { VERSION } from '../../source/protocol/version.js';

const home = homesRemovedAfter();

/** Runs the binary with its stdout's reading end closed before it writes anything. */
function runIntoClosedPipe(h: Home, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

async function post(port: number, token: string, payloads: Array<Record<string, unknown>>): Promise<void> {
  for (let index = 0; index < payloads.length; index += 200) {
    const answer = await postEvents(port, token, JSON.stringify(payloads.slice(index, index + 200)));
    assert.ok(answer.status < 300, `POST /events answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}

const jsonLines = (text: string): Array<{ seq: number; type: string; sessionId: string }> =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { seq: number; type: string; sessionId: string });

describe('the command line', () => {
  test('-h, --help, help COMMAND and COMMAND --help print help; -v and --version the version', () => {
    const h = home();
    for (const args of [['-h'], ['--help'], ['help']]) {
      const result = runCli(h, args);
      assert.equal(result.code, 0, args.join(' '));
      assert.match(result.stdout, /Usage\n {4}\$ mpm-mon \[command\] \[options\]/);
    }
    for (const args of [
      ['events', '--help'],
      ['help', 'events'],
      ['events', '-h'],
    ]) {
      const result = runCli(h, args);
      assert.equal(result.code, 0, args.join(' '));
      assert.match(result.stdout, /\$ mpm-mon events \[options\]/);
      assert.match(result.stdout, /Examples\n {4}\$ mpm-mon events --last 20/);
      assert.doesNotMatch(result.stderr, /reading the journal|not running/, 'help runs nothing');
    }
    for (const args of [['-v'], ['--version']]) assert.equal(runCli(h, args).stdout.trim(), VERSION);
  });

  test('did you mean: stauts, --folow; exit 2', () => {
    const h = home();
    const command = runCli(h, ['stauts']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "stauts"\. Did you mean `status`\?/);
    const flag = runCli(h, ['events', '--folow']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option --folow\. Did you mean --follow\?/);
    assert.match(runCli(h, ['help', 'evnets']).stderr, /Did you mean `events`\?/);
  });

  test('--last abc says what is expected, with a valid example', () => {
    const result = runCli(home(), ['events', '--last', 'abc']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /invalid value "abc" for --last: expected a whole number >= 0/);
    assert.match(result.stderr, /e\.g\. --last 20/);
  });

  test('events: filters run over the whole history on the daemon before --last; type in any case', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    try {
      const early = [1, 2, 3].map((n) => hookPayload(n, 'sess-early'));
      const noise = Array.from({ length: 400 }, (_, n) =>
        hookPayload(100 + n, 'sess-noise', { hook_event_name: 'Notification', message: `n${n}` }),
      );
      await post(daemon.port, daemon.token, [...early, ...noise]);
      const typed = runCli(h, ['events', '--type', 'pretooluse', '--json']);
      assert.equal(typed.code, 0, typed.stderr);
      assert.deepEqual(
        jsonLines(typed.stdout).map((event) => event.seq),
        [1, 2, 3],
      );
      const session = runCli(h, ['events', '--session', 'sess-ear', '--last', '2', '--json']);
      assert.deepEqual(
        jsonLines(session.stdout).map((event) => event.seq),
        [2, 3],
      );
      const range = runCli(h, ['events', '--since', '2', '--until', '5', '--json']);
      assert.deepEqual(
        jsonLines(range.stdout).map((event) => event.seq),
        [3, 4, 5],
      );
      const recent = runCli(h, ['events', '--since', '10m', '--type', 'PRETOOLUSE', '--json']);
      assert.deepEqual(
        jsonLines(recent.stdout).map((event) => event.seq),
        [1, 2, 3],
      );
      const future = runCli(h, ['events', '--since', '2099-01-01T00:00:00Z']);
      assert.equal(future.code, 0);
      assert.equal(future.stdout, '');
    } finally {
      await daemon.stop();
    }
  });

  test('events with the daemon down reads the journal on disk and says so on stderr', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    await post(daemon.port, daemon.token, [
      hookPayload(1, 'sess-disk'),
      hookPayload(2, 'sess-disk', { hook_event_name: 'Stop' }),
    ]);
    await daemon.stop();
    const result = runCli(h, ['events', '--type', 'stop', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      jsonLines(result.stdout).map((event) => event.type),
      ['Stop'],
    );
    assert.match(result.stderr, /the daemon is not running; reading the journal on disk/);
  });

  test('output to a closed pipe ends quietly with exit 0 (events, status, doctor, help)', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    try {
      await post(daemon.port, daemon.token, [hookPayload(1), hookPayload(2)]);
      for (const args of [
        ['events'],
        ['status'],
        ['doctor'],
        ['--help'],
        ['events', '--follow', '--last', '2'],
      ]) {
        const result = await runIntoClosedPipe(h, args);
        assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /EPIPE|\n\s+at /, args.join(' '));
      }
    } finally {
      await daemon.stop();
    }
  });

  test('events --follow: Ctrl-C exits 130 and only filtered live events are printed', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    try {
      const child = spawn(process.execPath, [CLI, 'events', '--follow', '--type', 'stop', '--json'], {
        env: h.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        await waitFor(() => stderr.includes('connected'), 'the follower to connect');
        await post(daemon.port, daemon.token, [
          hookPayload(1),
          hookPayload(2, 'sess-e2e', { hook_event_name: 'Stop' }),
        ]);
        await waitFor(() => stdout.includes('"Stop"'), 'the Stop event to be printed');
      } finally {
        child.kill('SIGINT');
      }
      assert.equal(await exited, 130);
      assert.deepEqual(
        jsonLines(stdout).map((event) => event.type),
        ['Stop'],
      );
    } finally {
      await daemon.stop();
    }
  });

  test('doctor --port P checks port P', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    try {
      const result = runCli(h, ['doctor', '--json', '--port', '1'], undefined, { HOME: h.path });
      const json = JSON.parse(result.stdout) as { checks: Array<{ name: string; message: string }> };
      const port = json.checks.find((check) => check.name === 'port');
      assert.match(port?.message ?? '', /:1\b/, port?.message);
      assert.doesNotMatch(port?.message ?? '', new RegExp(`:${daemon.port}\\b`));
    } finally {
      await daemon.stop();
    }
  });

  test('a config file that is not JSON: reported as such, with line and column and what to do', () => {
    const h = home();
    writeFileSync(join(h.path, 'config.json'), '{\n  "port": 9000,\n}\n');
    for (const args of [['--no-start'], ['doctor']]) {
      const result = runCli(h, args, undefined, { HOME: h.path });
      const text = (result.stdout + result.stderr).replace(/\s+/g, ' ');
      assert.equal(result.code, 1, args.join(' '));
      assert.match(text, /config\.json is not valid JSON \(line 3, column 1\)/, text);
      assert.match(text, /mv "[^"]+config\.json" "[^"]+config\.json\.broken"/);
      assert.doesNotMatch(text, /invalid value .* for "\(file\)"|position \d+/);
    }
  });

  test('a home that cannot be created is a home error, not UNEXPECTED or a config error', () => {
    const h = home();
    const file = join(h.path, 'a-file');
    writeFileSync(file, '');
    const result = runCli(h, ['start'], undefined, { MPM_MON_HOME: join(file, 'home') });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /HOME_NOT_WRITABLE/);
    assert.doesNotMatch(result.stderr, /UNEXPECTED|CONFIG_INVALID|probably a bug/);
  });
});
