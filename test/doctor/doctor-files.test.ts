import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { checkNodeVersion } from '../../source/doctor/checks/environment.js';
import { invocation } from '../../source/instance/invocation.js';
import { HOOK_EVENT_NAMES } from '../../source/claude/hook-events.js';
import { editHooks } from '../../source/claude/hook-install.js';
import { readProcessStartTime } from '../../source/instance/process-info.js';
import { encodeSpoolFile, spoolFileName } from '../../source/store/spool.js';
import {
  assertDoctorJsonShape,
  check,
  doctor,
  freePort,
  makeSandbox,
  writePidFile,
  type Sandbox,
} from './sandbox.js';
import { killChild, spawnIdleChild } from '../helpers/processes.js';
import { deadPid } from '../helpers/processes.js';

let box: Sandbox;
beforeEach(async () => {
  box = makeSandbox(await freePort());
});
afterEach(() => box.cleanup());

/** An executable `mpm-mon` on the sandbox's PATH (doctor only checks that it is there). */
function mpmMonOnPath(): void {
  const bin = join(box.dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(join(bin, 'mpm-mon'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  box.env.PATH = `${bin}:${box.env.PATH ?? ''}`;
}

function hookSettings(events: readonly string[], command = 'mpm-mon hook'): string {
  const hooks = Object.fromEntries(
    events.map((event) => [
      event,
      [
        {
          ...(event === 'PreToolUse' || event === 'PostToolUse' ? { matcher: '*' } : {}),
          hooks: [{ type: 'command', command, timeout: 5 }],
        },
      ],
    ]),
  );
  return JSON.stringify({ hooks, model: 'someone-elses-setting' }, null, 2);
}

function writeUserSettings(text: string): string {
  const path = join(box.home, '.claude', 'settings.json');
  fs.mkdirSync(join(box.home, '.claude'), { recursive: true });
  fs.writeFileSync(path, text);
  return path;
}

describe('doctor on a fresh machine', () => {
  test('JSON has the documented shape; nothing fails; not running and no hooks are warnings', async () => {
    const run = await doctor(box);
    assert.deepEqual(assertDoctorJsonShape(run.json), []);
    assert.equal(run.code, 0);
    assert.ok(run.json.checks.length >= 14, `${run.json.checks.length} checks`);
    assert.deepEqual(
      run.json.checks.filter((entry) => entry.status !== 'pass').map((entry) => [entry.name, entry.status]),
      [
        ['reachable', 'warn'],
        ['hooks', 'warn'],
      ],
    );
    assert.equal(check(run, 'reachable').details.code, 'DAEMON_NOT_RUNNING');
    assert.equal(check(run, 'hooks').details.code, 'HOOKS_NOT_INSTALLED');
    assert.equal(fs.existsSync(box.state), false, 'doctor created nothing');
  });

  test('text output: marks, a fix under each problem, the guide and the start-at-login hint', async () => {
    const run = await doctor(box, { json: false });
    assert.match(run.output, /^mpm-mon doctor - mpm-mon \d+\.\d+\.\d+/);
    assert.match(run.output, /\n✓ Node\.js {2,}v\d+/);
    assert.match(
      run.output,
      /\n! daemon reachable {2,}not running \(nothing listens on 127\.0\.0\.1:\d+\)\n {4}fix: /,
    );
    // Every hint says how mpm-mon runs here (not on this PATH: node and the real path).
    const here = invocation(box.env);
    assert.ok(run.output.includes(`\n    fix: ${here.command} start\n`), run.output);
    const flat = run.output.replace(/\s+/g, ' ');
    if (!here.onPath) assert.ok(flat.includes(`put it on PATH with \`${here.putOnPath}\``), run.output);
    assert.ok(
      !/\bmpm-mon (start|doctor|install-hooks)/.test(flat.replace(/\$ mpm-mon|mpm-mon doctor -/g, '')),
      flat,
    );
    assert.match(run.output, /\n\d+ passed, 2 warnings, 0 failures, \d+ not checked\n/);
    assert.match(run.output, /\nlog: .*daemon\.log\n/);
    // A check that could not run is not a green pass.
    assert.match(run.output, /\n· [^\n]*not checked/);
    assert.doesNotMatch(run.output, /\n✓ [^\n]*not checked/);
    assert.match(run.output, /\nTroubleshooting: 2 warnings\n/);
    assert.match(run.output, /systemctl --user daemon-reload && systemctl --user enable --now mpm-mon/);
    assert.ok(!run.output.includes('[Service]'), 'the unit text only with --verbose');
    const verbose = await doctor(box, { json: false, verbose: true });
    assert.match(verbose.output, /\[Service\]\n {4}ExecStart=/);
  });

  test('--ascii prints nothing outside ASCII', async () => {
    const run = await doctor(box, { json: false, ascii: true, verbose: true });
    assert.ok(/^[\x20-\x7E\n]*$/.test(run.output), 'ASCII only');
    assert.match(run.output, /\n\+ Node\.js/);
    assert.match(run.output, /\n! daemon reachable/);
  });

  test('a Node.js that is too old fails with the commands to upgrade', async () => {
    const outcome = await checkNodeVersion({ nodeVersion: 'v18.19.1' });
    assert.equal(outcome.status, 'fail');
    assert.equal(outcome.error?.code, 'NODE_UNSUPPORTED');
    assert.equal((await checkNodeVersion({ nodeVersion: 'v20.0.0' })).status, 'pass');
  });
});

describe('PID file', () => {
  test('a dead PID: stale warning; --fix removes the file; the second run is clean', async () => {
    const pid = await deadPid();
    writePidFile(box.state, { pid, port: Number(box.env.MPM_MON_PORT), processStartTime: '1' });
    const before = await doctor(box);
    const pidFile = check(before, 'pid-file');
    assert.equal(pidFile.status, 'warn');
    assert.match(pidFile.message, /^stale \(dead\)/);
    assert.equal(pidFile.details.code, 'STALE_PROCESS');
    assert.ok(fs.existsSync(join(box.state, 'daemon.pid')), 'doctor without --fix changes nothing');

    const fixed = await doctor(box, { fix: true });
    assert.deepEqual(assertDoctorJsonShape(fixed.json), []);
    const repair = fixed.json.repairs?.find((entry) => entry.check === 'pid-file');
    assert.equal(repair?.outcome, 'done', JSON.stringify(fixed.json.repairs));
    assert.equal(fs.existsSync(join(box.state, 'daemon.pid')), false);
    assert.equal(check(fixed, 'pid-file').status, 'pass', 'the checks after the repair');

    const again = await doctor(box);
    assert.equal(check(again, 'pid-file').status, 'pass');
    assert.equal(again.json.repairs, undefined);
  });

  test('an unreadable PID file is a warning that --fix repairs', async () => {
    fs.mkdirSync(box.state, { recursive: true });
    fs.writeFileSync(join(box.state, 'daemon.pid'), 'not a pid');
    const before = await doctor(box);
    assert.equal(check(before, 'pid-file').status, 'warn');
    assert.match(check(before, 'pid-file').message, /^unusable/);
    await doctor(box, { fix: true });
    assert.equal(check(await doctor(box), 'pid-file').status, 'pass');
  });
});

describe('token', () => {
  test('mode 0644 fails; --fix makes it 0600; the second run is clean', async () => {
    fs.mkdirSync(box.state, { recursive: true });
    const file = join(box.state, 'token');
    fs.writeFileSync(file, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const before = await doctor(box);
    assert.equal(before.code, 1);
    const token = check(before, 'token');
    assert.equal(token.status, 'fail');
    assert.equal(token.details.code, 'AUTH_TOKEN_PERMISSIONS');
    assert.match(token.message, /mode 0644/);
    assert.equal(fs.statSync(file).mode & 0o777, 0o644, 'untouched without --fix');

    const fixed = await doctor(box, { fix: true });
    assert.equal(fixed.json.repairs?.find((entry) => entry.check === 'token')?.outcome, 'done');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const again = await doctor(box);
    assert.equal(check(again, 'token').status, 'pass');
    assert.equal(again.code, 0);
  });

  test('a token file that holds no token is reported', async () => {
    fs.mkdirSync(box.state, { recursive: true });
    fs.writeFileSync(join(box.state, 'token'), '\n', { mode: 0o600 });
    const run = await doctor(box);
    assert.equal(check(run, 'token').status, 'warn');
    assert.match(check(run, 'token').message, /does not hold a token/);
  });
});

describe('journal', () => {
  test('a line damaged inside a segment is counted; a torn last line is harmless', async () => {
    const dir = join(box.state, 'journal');
    fs.mkdirSync(dir, { recursive: true });
    const event = (seq: number) =>
      JSON.stringify({
        seq,
        id: `e${seq}`,
        receivedAt: '2025-01-01T00:00:00.000Z',
        type: 'Stop',
        sessionId: 's1',
        data: {},
      });
    fs.writeFileSync(
      join(dir, '00000000000000000001.ndjson'),
      `${event(1)}\n{"seq": 2, "id": "e2", "ty\n${event(3)}\n\n${event(4)}\n{"seq":5,"i`,
    );
    const run = await doctor(box);
    const journal = check(run, 'journal');
    assert.equal(journal.status, 'warn');
    assert.equal(journal.details.corruptCount, 1);
    assert.equal(journal.details.tornTails, 1);
    assert.equal(journal.details.events, 3);
    assert.deepEqual(journal.details.corrupt, [{ file: join(dir, '00000000000000000001.ndjson'), line: 2 }]);
    assert.equal(journal.details.code, 'JOURNAL_CORRUPT');
    assert.match(journal.message, /^1 unreadable line inside segments \(00000000000000000001\.ndjson:2\)/);
  });

  test('a healthy journal with only a torn tail passes', async () => {
    const dir = join(box.state, 'journal');
    fs.mkdirSync(dir, { recursive: true });
    const whole = {
      seq: 1,
      id: 'e1',
      receivedAt: '2025-01-01T00:00:00.000Z',
      type: 'Stop',
      sessionId: 's1',
      data: {},
    };
    fs.writeFileSync(join(dir, '00000000000000000001.ndjson'), `${JSON.stringify(whole)}\n{"seq":2,`);
    const journal = check(await doctor(box), 'journal');
    assert.equal(journal.status, 'pass');
    assert.match(journal.message, /1 torn last line/);
  });

  test('the corruptLines fail threshold turns it into a failure', async () => {
    box.env.MPM_MON_HEALTH_THRESHOLDS_CORRUPT_LINES_FAIL = '2';
    const dir = join(box.state, 'journal');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(join(dir, '00000000000000000001.ndjson'), 'x\ny\nz\n');
    const run = await doctor(box);
    assert.equal(check(run, 'journal').status, 'fail');
    assert.equal(run.code, 1);
  });
});

describe('Claude Code hooks', () => {
  test('all events installed at user scope: pass, with the scope named', async () => {
    mpmMonOnPath();
    writeUserSettings(hookSettings(HOOK_EVENT_NAMES));
    const hooks = check(await doctor(box), 'hooks');
    assert.equal(hooks.status, 'pass', hooks.message);
    assert.match(
      hooks.message,
      new RegExp(`^installed for all ${HOOK_EVENT_NAMES.length} events in user \\(command\\)`),
    );
  });

  test('a hook command into a checkout that moved fails, names the missing file and says how to fix it', async () => {
    const moved = join(box.dir, 'old-checkout', 'dist', 'mpm-mon.cjs');
    writeUserSettings(hookSettings(HOOK_EVENT_NAMES, `"${process.execPath}" "${moved}" hook`));
    const run = await doctor(box);
    const hooks = check(run, 'hooks');
    assert.equal(hooks.status, 'fail');
    assert.equal(hooks.details.code, 'HOOKS_COMMAND_BROKEN');
    assert.equal(
      hooks.message,
      `the hook command no longer runs: ${moved} does not exist (moved or removed?)`,
    );
    assert.equal(run.code, 1);
    const text = await doctor(box, { json: false });
    const here = invocation(box.env).command;
    assert.ok(text.output.includes(`fix: run \`${here} install-hooks\` again`), text.output);
    assert.ok(text.output.includes(`$ ${here} install-hooks`), 'the report gives the command');

    const fixed = await doctor(box, { fix: true, hooks: true });
    assert.equal(fixed.json.repairs?.find((entry) => entry.check === 'hooks')?.outcome, 'done');
    assert.equal(check(fixed, 'hooks').status, 'pass', check(fixed, 'hooks').message);
  });

  test('`mpm-mon hook` with no mpm-mon on PATH fails: every hook would fail to start', async () => {
    box.env.PATH = join(box.dir, 'empty-bin');
    writeUserSettings(hookSettings(HOOK_EVENT_NAMES));
    const hooks = check(await doctor(box), 'hooks');
    assert.equal(hooks.status, 'fail');
    assert.match(hooks.message, /`mpm-mon` is not on PATH \(mpm-mon hook\)/);
    mpmMonOnPath();
    assert.equal(check(await doctor(box), 'hooks').status, 'pass');
  });

  test('some events missing: a warning naming them', async () => {
    mpmMonOnPath();
    writeUserSettings(
      hookSettings(HOOK_EVENT_NAMES.filter((event) => event !== 'Stop' && event !== 'PreCompact')),
    );
    const hooks = check(await doctor(box), 'hooks');
    assert.equal(hooks.status, 'warn');
    assert.match(hooks.message, /^missing for Stop, PreCompact \(installed in user \(command\)\)/);
    assert.deepEqual(hooks.details.missing, ['Stop', 'PreCompact']);
  });

  test('--fix without --hooks leaves settings alone; with --hooks it installs them and the next run passes', async () => {
    const path = writeUserSettings(JSON.stringify({ model: 'keep-me' }));
    const skipped = await doctor(box, { fix: true });
    const repair = skipped.json.repairs?.find((entry) => entry.check === 'hooks');
    assert.equal(repair?.outcome, 'skipped');
    assert.match(repair?.message ?? '', /--hooks/);
    assert.deepEqual(JSON.parse(fs.readFileSync(path, 'utf8')), { model: 'keep-me' });

    const installed = await doctor(box, { fix: true, hooks: true });
    assert.equal(
      installed.json.repairs?.find((entry) => entry.check === 'hooks')?.outcome,
      'done',
      JSON.stringify(installed.json.repairs),
    );
    assert.equal(check(installed, 'hooks').status, 'pass');
    const settings = JSON.parse(fs.readFileSync(path, 'utf8'));
    assert.equal(settings.model, 'keep-me', 'other settings are kept');
    assert.deepEqual(Object.keys(settings.hooks).sort(), [...HOOK_EVENT_NAMES].sort());
    assert.equal(check(await doctor(box), 'hooks').status, 'pass');
  });

  test('a settings file that is not JSON is a warning that names it', async () => {
    const path = writeUserSettings('{ "hooks": ');
    const hooks = check(await doctor(box), 'hooks');
    assert.equal(hooks.status, 'warn');
    assert.ok(hooks.message.includes(path), hooks.message);
  });
});

describe('Claude Code http hooks', () => {
  const TOKEN = 'ab'.repeat(32);
  function installHttp(port: number): void {
    editHooks('install', { http: true, port, home: box.home, cwd: box.project, env: box.env });
  }
  function writeToken(): void {
    fs.mkdirSync(box.state, { recursive: true, mode: 0o700 });
    fs.writeFileSync(join(box.state, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  }

  test('not used: pass', async () => {
    assert.equal(check(await doctor(box), 'hooks-http').status, 'pass');
  });

  test('installed, but $MPM_MON_TOKEN is not set where doctor runs: a warning saying every POST is refused', async () => {
    installHttp(9123);
    writeToken();
    const run = await doctor(box);
    assert.equal(check(run, 'hooks').status, 'pass', check(run, 'hooks').message);
    const http = check(run, 'hooks-http');
    assert.equal(http.status, 'warn');
    assert.match(http.message, /\$MPM_MON_TOKEN is not set.*401/);
    assert.match(http.fix ?? '', /export MPM_MON_TOKEN=/);
    assert.doesNotMatch(run.output, new RegExp(TOKEN));
  });

  test("a token variable that is not the daemon's token: a warning", async () => {
    installHttp(9123);
    writeToken();
    box.env.MPM_MON_TOKEN = 'cd'.repeat(32);
    const http = check(await doctor(box), 'hooks-http');
    assert.equal(http.status, 'warn');
    assert.match(http.message, /not the daemon's token/);
  });

  test('the hooks post to one port, the running daemon listens on another: a warning naming both', async () => {
    const child = await spawnIdleChild();
    try {
      const daemonPort = await freePort();
      writePidFile(box.state, {
        pid: child.pid!,
        port: daemonPort,
        processStartTime: await readProcessStartTime(child.pid!),
      });
      writeToken();
      box.env.MPM_MON_TOKEN = TOKEN;
      installHttp(daemonPort === 9123 ? 9124 : 9123);
      const http = check(await doctor(box), 'hooks-http');
      assert.equal(http.status, 'warn');
      assert.match(http.message, new RegExp(`daemon listens on port ${daemonPort}`));
      installHttp(daemonPort);
      const fixed = check(await doctor(box), 'hooks-http');
      assert.equal(fixed.status, 'pass', fixed.message);
    } finally {
      killChild(child);
    }
  });
});

describe('spool', () => {
  function spoolOne(): void {
    const dir = join(box.state, 'spool');
    fs.mkdirSync(dir, { recursive: true });
    const raw = JSON.stringify({ hook_event_name: 'Stop', session_id: 's' });
    const now = Date.now();
    fs.writeFileSync(join(dir, spoolFileName(now, Buffer.byteLength(raw))), encodeSpoolFile(raw, now));
  }

  test('a backlog with no daemon is a warning; --fix alone does not start anything', async () => {
    spoolOne();
    const run = await doctor(box, { fix: true, startCommand: [process.execPath, '-e', 'process.exit(3)'] });
    const spool = check(run, 'spool');
    assert.equal(spool.status, 'warn');
    assert.match(spool.message, /^1 event waiting since .*; no daemon is running to drain them/);
    assert.equal(run.json.repairs?.find((entry) => entry.check === 'spool')?.outcome, 'skipped');
  });

  test('--fix --start runs the start command; a failing start is reported as failed', async () => {
    spoolOne();
    const failing = await doctor(box, {
      fix: true,
      start: true,
      startCommand: [process.execPath, '-e', 'console.error("port taken"); process.exit(1)'],
    });
    const repair = failing.json.repairs?.find((entry) => entry.check === 'spool');
    assert.equal(repair?.outcome, 'failed');
    assert.match(repair?.message ?? '', /exited with 1: port taken/);

    // Stands in for `mpm-mon start`, whose daemon drains the spool; the end-to-end suite runs the real one.
    const drain = `require('fs').rmSync(${JSON.stringify(join(box.state, 'spool'))}, { recursive: true }); console.log('daemon started')`;
    const fixed = await doctor(box, {
      fix: true,
      start: true,
      startCommand: [process.execPath, '-e', drain],
    });
    assert.equal(fixed.json.repairs?.find((entry) => entry.check === 'spool')?.outcome, 'done');
    assert.equal(check(fixed, 'spool').status, 'pass');
  });
});

describe('configuration and home', () => {
  test('an invalid value in the config file fails with the key and the file', async () => {
    fs.mkdirSync(box.state, { recursive: true });
    fs.writeFileSync(join(box.state, 'config.json'), JSON.stringify({ health: { intervalMs: 5 } }));
    const run = await doctor(box);
    const config = check(run, 'config');
    assert.equal(config.status, 'fail');
    assert.equal(config.details.code, 'CONFIG_INVALID');
    assert.match(config.message, /"health\.intervalMs" \(from file .*config\.json\)/);
    assert.equal(run.code, 1);
  });

  test('a config file that is not JSON fails', async () => {
    fs.mkdirSync(box.state, { recursive: true });
    fs.writeFileSync(join(box.state, 'config.json'), '{ port: 1');
    assert.equal(check(await doctor(box), 'config').status, 'fail');
  });

  test('an invalid environment value fails; an unknown MPM_MON_ variable is a warning with a suggestion', async () => {
    box.env.MPM_MON_PORT = 'eighty';
    const bad = check(await doctor(box), 'config');
    assert.equal(bad.status, 'fail');
    assert.match(bad.message, /MPM_MON_PORT/);
    box.env.MPM_MON_PORT = String(await freePort());
    box.env.MPM_MON_HEALTH_INTERVALL_MS = '1000';
    const typo = check(await doctor(box), 'config');
    assert.equal(typo.status, 'warn');
    assert.match(typo.fix ?? '', /MPM_MON_HEALTH_INTERVALL_MS: did you mean MPM_MON_HEALTH_INTERVAL_MS\?/);
  });

  test('MPM_MON_HOME that is a file fails', async () => {
    fs.writeFileSync(box.state, 'oops');
    const home = check(await doctor(box), 'home');
    assert.equal(home.status, 'fail');
    assert.equal(home.details.code ?? null, 'HOME_NOT_WRITABLE');
  });

  test('a read-only MPM_MON_HOME fails (unless running as root)', async (t) => {
    if (process.getuid?.() === 0) return t.diagnostic('root can write anywhere: nothing to test here');
    fs.mkdirSync(box.state);
    fs.chmodSync(box.state, 0o500);
    try {
      const home = check(await doctor(box), 'home');
      assert.equal(home.status, 'fail');
      assert.match(home.message, /^cannot write to mpm-mon's home folder/);
    } finally {
      fs.chmodSync(box.state, 0o700);
    }
    return undefined;
  });
});
