import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixture, get, postEvents } from './harness.js';
import { hookPayload } from '../helpers/events.js';
import { type Home, homesRemovedAfter } from '../helpers/temp-home.js';
import { CLI, runCli, runCliAsync, startDaemon } from '../helpers/daemon.js';
import { deadPid } from '../helpers/processes.js';

const home = homesRemovedAfter();

interface DoctorJson {
  checks: Array<{ name: string; status: string; message: string; fix: string | null }>;
  summary: { pass: number; warn: number; fail: number };
}

function doctor(h: Home, args: string[] = []): { code: number; json: DoctorJson } {
  const result = runCli(h, ['doctor', '--json', ...args], undefined, { HOME: h.path });
  return { code: result.code, json: JSON.parse(result.stdout) as DoctorJson };
}

const statusOf = (json: DoctorJson, name: string): string | undefined =>
  json.checks.find((check) => check.name === name)?.status;

describe('doctor and events against the real daemon', () => {
  test('doctor with a running daemon: every daemon check passes; hooks missing is only a warning', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    try {
      const { code, json } = doctor(h);
      assert.equal(code, 0);
      assert.equal(
        json.summary.fail,
        0,
        JSON.stringify(json.checks.filter((check) => check.status === 'fail')),
      );
      for (const name of [
        'pid-file',
        'process',
        'port',
        'reachable',
        'health',
        'auth',
        'journal',
        'recovery',
      ]) {
        const check = json.checks.find((entry) => entry.name.startsWith(name));
        assert.ok(check, `a ${name} check is listed`);
        assert.equal(check.status, 'pass', `${check.name}: ${check.message}`);
      }
      const hooks = json.checks.find((check) => check.name.startsWith('hooks'));
      assert.equal(hooks?.status, 'warn');
    } finally {
      await daemon.stop();
    }
  });

  test('doctor finds a stale PID file, --fix removes it, and a second run is clean of it', async () => {
    const h = home();
    writeFileSync(
      join(h.path, 'daemon.pid'),
      JSON.stringify({ pid: await deadPid(), port: 1, host: '127.0.0.1' }),
    );
    const before = doctor(h);
    assert.ok(
      ['warn', 'fail'].includes(statusOf(before.json, 'pid-file') ?? ''),
      JSON.stringify(before.json.checks),
    );
    const fixed = runCli(h, ['doctor', '--fix'], undefined, { HOME: h.path });
    assert.match(fixed.stdout, /stale|removed/i);
    assert.ok(!existsSync(join(h.path, 'daemon.pid')));
    assert.equal(statusOf(doctor(h).json, 'pid-file'), 'pass');
  });

  test('events: --last, --since, --type and --json read what the daemon stored', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    try {
      for (const name of ['SessionStart.json', 'UserPromptSubmit.json', 'PreToolUse.json', 'Stop.json']) {
        assert.equal(runCli(h, ['hook'], fixture(name)).code, 0);
      }
      const last = runCli(h, ['events', '--last', '2']);
      assert.equal(last.code, 0, last.stderr);
      const lines = last.stdout.trim().split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines[1]!, /Stop/);
      const json = runCli(h, ['events', '--since', '0', '--type', 'PreToolUse', '--json']);
      const events = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; seq: number });
      assert.deepEqual(
        events.map((event) => event.type),
        ['PreToolUse'],
      );
      const since = runCli(h, ['events', '--since', '3', '--json']);
      assert.deepEqual(
        since.stdout
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { seq: number }).seq),
        [4],
      );
      const bad = runCli(h, ['events', '--since', 'yesterday']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /--since/);
      await postEvents(daemon.port, daemon.token, JSON.stringify(hookPayload(1)));
    } finally {
      await daemon.stop();
    }
  });

  test('parallel full exports wait their turn behind each other; none fails when the replay queue is full', async () => {
    const h = home();
    h.writeConfig({ events: { ratePerSecond: 1_000_000 }, limits: { maxReplays: 1, maxQueuedReplays: 0 } });
    const daemon = await startDaemon(h);
    try {
      const total = 12_000;
      for (let n = 0; n < total; n += 1000) {
        const batch = Array.from({ length: 1000 }, (_, index) => hookPayload(n + index, 'sess-export'));
        assert.equal((await postEvents(daemon.port, daemon.token, JSON.stringify(batch))).status, 202);
      }
      const exports = await Promise.all(
        [1, 2, 3, 4].map(() => runCliAsync(h, ['events', '--since', '0', '--json'])),
      );
      for (const run of exports) {
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stdout.trim().split('\n').length, total);
      }
      const refusals = (await get(daemon.port, '/diagnostics', daemon.token)).body.refusals.byReason;
      assert.ok(refusals.too_many_replays > 0, 'the exports did meet a full queue');
    } finally {
      await daemon.stop();
    }
  });

  test('events with no daemon: reads the journal on disk, says so and how to start it', () => {
    const h = home();
    const result = runCli(h, ['events']);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /not running; reading the journal on disk/i);
    assert.match(result.stderr, /For live events: .*start/);
  });

  test('`mpm-mon` that cannot attach prints the guided report, not a stack trace', () => {
    const h = home();
    const refused = runCli(h, ['--no-start']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Troubleshooting: 1 failure/);
    assert.match(refused.stderr, /no mpm-mon daemon is running/);
    // mpm-mon is not on the test's PATH: the hint is the command that runs here.
    assert.ok(refused.stderr.includes(`$ node ${CLI} start`), refused.stderr);
    assert.doesNotMatch(refused.stderr, /\$ mpm-mon /);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    h.writeConfig({ port: 'eighty' });
    const invalid = runCli(h, []);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /invalid value "eighty" for "port"/);
    assert.ok(!existsSync(join(h.path, 'daemon.pid')), 'no daemon was started');
  });

  test('an unknown command or flag is refused with a hint', () => {
    const h = home();
    const command = runCli(h, ['frobnicate']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "frobnicate"/);
    const flag = runCli(h, ['status', '--frobnicate']);
    assert.notEqual(flag.code, 0);
    assert.match(flag.stderr, /frobnicate/);
  });
});
