import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../source/errors/codes.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthError,
  ConfigError,
  DaemonConflictError,
  DaemonUnreachableError,
  HealthCheckError,
  HealthThresholdError,
  HomeNotWritableError,
  HooksNotInstalledError,
  JournalError,
  MpmError,
  PLATFORMS,
  PortConflictError,
  RecoveryFailedError,
  StaleProcessError,
  UnsupportedNodeError,
  explanationOf,
  presentFailure,
  renderError,
  severityOf,
  type Platform,
} from '../../source/errors/index.js';

interface Case {
  error: MpmError;
  code: string;
  /** Substrings that must appear among the commands for each platform. */
  commands: Record<Platform, string[]>;
  /** Substrings that must NOT appear for that platform (commands of another OS). */
  absent?: Partial<Record<Platform, string[]>>;
}

const cases: Case[] = [
  {
    error: new HomeNotWritableError({ home: '/srv/state/mpm mon', problem: 'not-writable' }),
    code: 'HOME_NOT_WRITABLE',
    commands: {
      linux: [
        "ls -ld '/srv/state/mpm mon'",
        "stat -c '%a %U:%G %n'",
        "mkdir -p '/srv/state/mpm mon'",
        'chmod 700',
      ],
      darwin: ["stat -f '%Lp %Su:%Sg %N'", 'chmod 700'],
      win32: ['icacls "/srv/state/mpm mon"', 'mkdir "/srv/state/mpm mon"'],
    },
    absent: { win32: ['chmod', 'ls -ld'], linux: ['icacls'] },
  },
  {
    error: new HomeNotWritableError({ home: '/srv/state', problem: 'no-space', freeMb: 3 }),
    code: 'HOME_NOT_WRITABLE',
    commands: {
      linux: ['df -h /srv/state', 'du -sh /srv/state/*'],
      darwin: ['df -h /srv/state'],
      win32: ['Get-PSDrive -PSProvider FileSystem'],
    },
  },
  {
    error: new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 8765 }),
    code: 'DAEMON_NOT_RUNNING',
    commands: { linux: ['mpm-mon start'], darwin: ['mpm-mon start'], win32: ['mpm-mon start'] },
  },
  {
    error: new DaemonUnreachableError({
      reason: 'hung',
      host: '127.0.0.1',
      port: 8765,
      pid: 4242,
      timeoutMs: 1500,
      logFile: '/var/mpm/logs/daemon.log',
    }),
    code: 'DAEMON_HUNG',
    commands: {
      linux: [
        "ss -ltnp 'sport = :8765'",
        'lsof -nP -iTCP:8765 -sTCP:LISTEN',
        'ps -o pid,ppid,stat,lstart,etime,cmd -p 4242',
        'kill 4242',
        'kill -9 4242',
        'journalctl --user -u mpm-mon',
        'tail -n 100 /var/mpm/logs/daemon.log',
      ],
      darwin: [
        'lsof -nP -iTCP:8765 -sTCP:LISTEN',
        'ps -p 4242 -o pid,ppid,stat,lstart,etime,command',
        'kill 4242',
        'launchctl print gui/$(id -u)/dev.mpm-mon',
      ],
      win32: [
        'netstat -ano | findstr :8765',
        'tasklist /V /FI "PID eq 4242"',
        'taskkill /PID 4242',
        'taskkill /PID 4242 /F',
        'Get-Content -Tail 100',
      ],
    },
    absent: {
      darwin: ['ss -ltnp', 'journalctl'],
      win32: ['kill -9', 'lsof'],
      linux: ['taskkill', 'launchctl'],
    },
  },
  {
    error: new DaemonUnreachableError({ reason: 'refused', host: '127.0.0.1', port: 9000, pid: 77 }),
    code: 'DAEMON_REFUSED',
    commands: {
      linux: ["ss -ltnp 'sport = :9000'", 'ps -o pid,ppid,stat,lstart,etime,cmd -p 77'],
      darwin: ['lsof -nP -iTCP:9000 -sTCP:LISTEN'],
      win32: ['netstat -ano | findstr :9000', 'tasklist /V /FI "PID eq 77"'],
    },
    absent: { linux: ['kill 77'] },
  },
  {
    error: new AuthError({ problem: 'token-permissions', tokenFile: '/h/token', mode: 0o100644 }),
    code: 'AUTH_TOKEN_PERMISSIONS',
    commands: {
      linux: ['chmod 600 /h/token', 'mpm-mon doctor --fix'],
      darwin: ['chmod 600 /h/token'],
      win32: ['icacls /h/token /inheritance:r /grant:r "%USERNAME%:F"'],
    },
    absent: { win32: ['chmod'] },
  },
  {
    error: new AuthError({ problem: 'token-missing', tokenFile: '/h/token' }),
    code: 'AUTH_TOKEN_MISSING',
    commands: { linux: ['mpm-mon restart'], darwin: ['mpm-mon restart'], win32: ['mpm-mon restart'] },
  },
  {
    error: new AuthError({ problem: 'token-rejected', tokenFile: '/h/token', status: 401 }),
    code: 'AUTH_TOKEN_REJECTED',
    commands: { linux: ['ls -ld /h/token'], darwin: ['ls -ld /h/token'], win32: ['icacls /h/token'] },
  },
  {
    error: new HooksNotInstalledError({
      missingEvents: ['Stop'],
      installedScopes: ['user'],
      settingsFiles: [],
    }),
    code: 'HOOKS_NOT_INSTALLED',
    commands: {
      linux: ['mpm-mon install-hooks'],
      darwin: ['mpm-mon install-hooks'],
      win32: ['mpm-mon install-hooks'],
    },
  },
  {
    error: new HealthThresholdError({
      check: 'openFiles',
      status: 'fail',
      value: 950,
      unit: 'count',
      threshold: { warn: 512, fail: 900 },
      pid: 31,
    }),
    code: 'HEALTH_THRESHOLD_EXCEEDED',
    commands: {
      linux: ['ulimit -n', 'ls /proc/31/fd | wc -l'],
      darwin: ['ulimit -n', 'lsof -p 31 | wc -l'],
      win32: ['(Get-Process -Id 31).HandleCount'],
    },
  },
  {
    error: new HealthThresholdError({
      check: 'diskFreeMb',
      status: 'warn',
      value: 100,
      unit: 'MB',
      threshold: { warn: 512, fail: 64 },
      home: '/h',
    }),
    code: 'HEALTH_THRESHOLD_EXCEEDED',
    commands: { linux: ['df -h /h'], darwin: ['df -h /h'], win32: ['Get-PSDrive'] },
  },
  {
    error: new RecoveryFailedError({
      action: 'restart-service',
      checks: ['memoryMb'],
      detail: 'still over the threshold',
      failures: 5,
      breaker: 'open',
      nextTrialAt: '2030-01-01T00:05:00.000Z',
    }),
    code: 'RECOVERY_FAILED',
    commands: {
      linux: ['mpm-mon restart', 'mpm-mon doctor'],
      darwin: ['mpm-mon restart'],
      win32: ['mpm-mon restart'],
    },
  },
  {
    error: new HealthCheckError({ check: 'eventLoopLagMs', reason: 'timeout', timeoutMs: 2000 }),
    code: 'HEALTH_CHECK_FAILED',
    commands: { linux: ['mpm-mon doctor'], darwin: ['mpm-mon doctor'], win32: ['mpm-mon doctor'] },
  },
  {
    error: new UnsupportedNodeError({ found: 'v18.19.0', requiredMajor: 20 }),
    code: 'NODE_UNSUPPORTED',
    commands: {
      linux: ['nvm install 20'],
      darwin: ['brew install node@20'],
      win32: ['winget install OpenJS.NodeJS.LTS'],
    },
  },
  // Errors written elsewhere, rendered here too so that every error is seen on every platform.
  {
    error: new DaemonConflictError({
      pid: 12,
      port: 8765,
      host: '127.0.0.1',
      startedAt: null,
      pidFile: '/h/daemon.pid',
    }),
    code: 'DAEMON_CONFLICT',
    commands: { linux: ['kill 12'], darwin: ['kill 12'], win32: ['taskkill /PID 12'] },
  },
  {
    error: new PortConflictError({ port: 8765, host: '127.0.0.1', owner: { pid: 99, command: 'nginx' } }),
    code: 'PORT_CONFLICT',
    commands: {
      linux: ["ss -ltnp 'sport = :8765'"],
      darwin: ['lsof -nP -iTCP:8765 -sTCP:LISTEN'],
      win32: ['netstat -ano | findstr :8765'],
    },
  },
  {
    error: new StaleProcessError({ kind: 'dead', pid: 5, pidFile: '/h/daemon.pid' }),
    code: 'STALE_PROCESS',
    commands: {
      linux: ['mpm-mon doctor --fix'],
      darwin: ['mpm-mon doctor --fix'],
      win32: ['del /h/daemon.pid'],
    },
  },
  {
    error: JournalError.corrupt({ dir: '/h/journal', path: '/h/journal/1.ndjson', line: 3, corruptLines: 1 }),
    code: 'JOURNAL_CORRUPT',
    commands: { linux: ['df -h /h/journal'], darwin: ['df -h /h/journal'], win32: ['icacls /h/journal'] },
  },
  {
    error: new ConfigError({
      key: 'port',
      value: 'abc',
      expected: 'an integer',
      source: 'env',
      where: 'MPM_MON_PORT',
    }),
    code: 'CONFIG_INVALID',
    commands: { linux: [], darwin: [], win32: [] },
  },
];

describe('every error, rendered for every platform', () => {
  for (const { error, code, commands, absent } of cases) {
    for (const platform of PLATFORMS) {
      test(`${error.name} ${code} on ${platform}`, () => {
        assert.equal(error.code, code);
        assert.ok(!error.message.includes('\n'), 'the message is one line');
        assert.ok(error.steps.length > 0, 'it says what to do');
        const text = renderError(error, platform);
        assert.match(text, new RegExp(`^error \\[${code}\\]: `));
        assert.match(text, /To resolve:\n {2}1\. /);
        const listed = error.commandsFor(platform);
        for (const expected of commands[platform]) {
          assert.ok(
            listed.some((line) => line.includes(expected)),
            `${platform} commands lack ${JSON.stringify(expected)}:\n${listed.join('\n')}`,
          );
          assert.ok(text.includes(expected), `the rendered text shows ${expected}`);
        }
        for (const foreign of absent?.[platform] ?? [])
          assert.ok(!listed.some((line) => line.includes(foreign)), `${platform} must not list ${foreign}`);

        const json = JSON.parse(JSON.stringify(error)) as ReturnType<MpmError['toJSON']>;
        assert.equal(json.code, code);
        assert.equal(json.name, error.name);
        assert.deepEqual(json.steps, error.steps);
        assert.deepEqual(json.commands[platform], listed);
        for (const other of PLATFORMS) assert.ok(Array.isArray(json.commands[other]));
      });
    }
  }
});

describe('guidance', () => {
  test('hooks not installed is a warning; a missing daemon a failure', () => {
    assert.equal(severityOf(cases[8]!.error), 'warn');
    assert.equal(severityOf(cases[2]!.error), 'fail');
    assert.equal(severityOf(new MpmError('UNEXPECTED', 'plain')), 'fail');
  });

  test('a warning threshold is a warning, a failing one a failure', () => {
    const warn = new HealthThresholdError({
      check: 'cpuPercent',
      status: 'warn',
      value: 80,
      threshold: { warn: 70, fail: 95 },
    });
    assert.equal(severityOf(warn), 'warn');
    assert.match(warn.message, /cpuPercent is warning: 80 \(warn at 70, fail at 95\)/);
    const fail = new HealthThresholdError({ check: 'x', status: 'fail', value: null, threshold: null });
    assert.equal(severityOf(fail), 'fail');
    assert.match(fail.message, /x is failing: no value \(no threshold\)/);
  });

  test('explanations are there for our errors and absent for a bare MpmError', () => {
    assert.match(explanationOf(cases[0]!.error) ?? '', /PID file, token/);
    assert.equal(explanationOf(new MpmError('UNEXPECTED', 'plain')), undefined);
  });

  test('the token mode is shown in octal', () => {
    assert.match(cases[5]!.error.message, /mode 0644/);
  });
});

describe('presentFailure', () => {
  const expected = new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 8765 });

  test('an expected failure has no stack trace unless verbose', () => {
    const plain = presentFailure(expected, { platform: 'linux', env: {} });
    assert.equal(plain.exitCode, 1);
    assert.ok(!plain.text.includes('    at '), plain.text);
    assert.match(plain.text, /DAEMON_NOT_RUNNING/);
    const verbose = presentFailure(expected, { platform: 'linux', verbose: true, env: {} });
    assert.match(verbose.text, /\n {4}at /);
  });

  test('an unexpected error says so and shows its stack only with DEBUG', () => {
    const plain = presentFailure(new TypeError('boom'), { env: {} });
    assert.match(plain.text, /^error \[UNEXPECTED\]: boom/);
    assert.ok(!plain.text.includes('    at '));
    assert.match(presentFailure(new TypeError('boom'), { env: { DEBUG: '1' } }).text, /\n {4}at /);
    assert.deepEqual(plain.json, { error: { code: 'UNEXPECTED', message: 'boom' } });
  });
});

describe('the table of error codes', () => {
  test('every code in it is raised somewhere, and every code raised is in it (the build checks the second)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    const source = files('source')
      .filter((file) => !file.endsWith(join('errors', 'codes.ts')))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = Object.keys(ERROR_CODES).filter((code) => !source.includes(`'${code}'`));
    assert.deepEqual(unused, [], 'codes nobody raises');
  });
});
