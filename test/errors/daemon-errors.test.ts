import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLATFORMS, renderError, type MpmError } from '../../source/errors/base.js';
import {
  DaemonConflictError,
  ListenError,
  PidFileLostError,
  PortConflictError,
  StaleProcessError,
  StateDirError,
  formatUptime,
  uptimeSince,
} from '../../source/errors/daemon-errors.js';
import {
  findPortOwnerCommands,
  inspectProcessCommands,
  showPermissionsCommands,
} from '../../source/errors/platform-commands.js';

/** The "Commands (platform):" section of a rendering, as a list. */
function renderedCommands(error: MpmError, platform: (typeof PLATFORMS)[number]): string[] {
  const text = renderError(error, platform);
  const section = text.split(`Commands (${platform}):\n`)[1] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('  $ '))
    .map((line) => line.slice(4));
}

describe('DaemonConflictError', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const error = new DaemonConflictError(
    {
      pid: 4242,
      port: 8765,
      host: '127.0.0.1',
      startedAt: '2024-05-01T10:30:15Z',
      pidFile: 'home/daemon.pid',
      version: '0.1.0',
    },
    now,
  );

  test('names pid, host, port and uptime, with a stable code', () => {
    assert.equal(error.code, 'DAEMON_CONFLICT');
    assert.equal(
      error.message,
      'another mpm-mon daemon is already running (pid 4242 on 127.0.0.1:8765, up 1h 29m)',
    );
    assert.equal(error.context.uptimeSeconds, 5385);
    assert.equal(error.exitCode, 1);
  });

  test('renders the commands of each platform', () => {
    assert.deepEqual(renderedCommands(error, 'linux'), ['mpm-mon status', 'mpm-mon stop', 'kill 4242']);
    assert.deepEqual(renderedCommands(error, 'darwin'), ['mpm-mon status', 'mpm-mon stop', 'kill 4242']);
    assert.deepEqual(renderedCommands(error, 'win32'), [
      'mpm-mon status',
      'mpm-mon stop',
      'taskkill /PID 4242',
    ]);
    const text = renderError(error, 'linux');
    assert.match(text, /^error \[DAEMON_CONFLICT\]/);
    assert.match(text, /To resolve:\n {2}1\. /);
    assert.match(text, /pidFile: home\/daemon\.pid/);
  });

  test('a legacy PID file (no port, no start) still gives a clear message', () => {
    const legacy = new DaemonConflictError({ pid: 7, port: null, host: null, startedAt: null, pidFile: 'p' });
    assert.equal(legacy.message, 'another mpm-mon daemon is already running (pid 7)');
    assert.equal(legacy.context.uptimeSeconds, null);
  });
});

describe('PortConflictError', () => {
  const withOwner = new PortConflictError({
    port: 8765,
    host: '127.0.0.1',
    owner: { pid: 999, command: 'python3 -m http.server 8765' },
  });

  test('names port, host and owner, and says how to choose another port', () => {
    assert.equal(withOwner.code, 'PORT_CONFLICT');
    assert.equal(
      withOwner.message,
      'port 8765 on 127.0.0.1 is already in use by pid 999 (python3 -m http.server 8765)',
    );
    assert.equal(withOwner.context.ownerPid, 999);
    const steps = withOwner.steps.join('\n');
    for (const way of ['--port', 'MPM_MON_PORT', '"port"', 'portRange']) assert.ok(steps.includes(way), way);
  });

  test('renders the commands of each platform: those of the one per-OS table', () => {
    for (const platform of PLATFORMS)
      assert.deepEqual(renderedCommands(withOwner, platform), [
        ...findPortOwnerCommands(platform, 8765),
        ...inspectProcessCommands(platform, 999),
      ]);
    assert.deepEqual(renderedCommands(withOwner, 'linux'), [
      "ss -ltnp 'sport = :8765'",
      'lsof -nP -iTCP:8765 -sTCP:LISTEN',
      'ps -o pid,ppid,stat,lstart,etime,cmd -p 999',
    ]);
  });

  test('without a known owner it still tells how to find one', () => {
    const unknown = new PortConflictError({ port: 8765, host: '127.0.0.1', owner: null });
    assert.equal(unknown.message, 'port 8765 on 127.0.0.1 is already in use');
    assert.equal(unknown.context.ownerPid, null);
    assert.deepEqual(renderedCommands(unknown, 'win32'), findPortOwnerCommands('win32', 8765));
    assert.equal(renderedCommands(unknown, 'win32')[0], 'netstat -ano | findstr :8765');
  });

  test('an exhausted range names the range', () => {
    const exhausted = new PortConflictError({ port: 8765, host: '::1', owner: null, range: [8765, 8785] });
    assert.match(exhausted.message, /no free port on ::1 in the range 8765-8785/);
    assert.ok(exhausted.steps.some((step) => step.includes('portRange')));
  });
});

describe('StaleProcessError', () => {
  test('dead, zombie and reused each explain themselves with a stable code', () => {
    const dead = new StaleProcessError({ kind: 'dead', pid: 11, pidFile: 'h/daemon.pid' });
    const zombie = new StaleProcessError({ kind: 'zombie', pid: 12, pidFile: 'h/daemon.pid' });
    const reused = new StaleProcessError({
      kind: 'reused',
      pid: 13,
      pidFile: 'h/daemon.pid',
      recordedStartTime: '100',
      actualStartTime: '200',
    });
    for (const error of [dead, zombie, reused]) assert.equal(error.code, 'STALE_PROCESS');
    assert.match(dead.message, /pid 11, which is no longer running/);
    assert.match(zombie.message, /zombie/);
    assert.match(reused.message, /another process/);
    assert.equal(reused.context.recordedStartTime, '100');
    assert.ok(reused.steps.some((step) => step.includes('Do not kill pid 13')));
    assert.ok(zombie.steps.some((step) => step.includes('parent')));
  });

  test('renders the commands of each platform', () => {
    const reused = new StaleProcessError({ kind: 'reused', pid: 13, pidFile: 'h/daemon.pid' });
    assert.deepEqual(renderedCommands(reused, 'linux'), [
      'mpm-mon doctor --fix',
      'mpm-mon start',
      'ps -o pid,ppid,stat,lstart,etime,cmd -p 13',
      'rm h/daemon.pid',
    ]);
    assert.deepEqual(renderedCommands(reused, 'win32'), [
      'mpm-mon doctor --fix',
      'mpm-mon start',
      ...inspectProcessCommands('win32', 13),
      'del h/daemon.pid',
    ]);
    const zombie = new StaleProcessError({ kind: 'zombie', pid: 12, pidFile: 'p' });
    assert.ok(renderedCommands(zombie, 'linux').includes('ps -o pid,ppid,stat,lstart,etime,cmd -p 12'));
    const dead = new StaleProcessError({ kind: 'dead', pid: 11, pidFile: 'p' });
    assert.deepEqual(renderedCommands(dead, 'linux'), ['mpm-mon doctor --fix', 'mpm-mon start', 'rm p']);
  });
});

describe('other daemon errors', () => {
  test('ListenError explains the errno and renders on every platform', () => {
    const error = new ListenError({ port: 80, host: '127.0.0.1', errno: 'EACCES' });
    assert.equal(error.code, 'LISTEN_FAILED');
    assert.match(error.message, /cannot listen on 127\.0\.0\.1:80: permission denied/);
    for (const platform of PLATFORMS) assert.deepEqual(renderedCommands(error, platform), ['mpm-mon doctor']);
  });

  test('StateDirError names the path and the operation, with a command per platform', () => {
    const error = new StateDirError({ path: 'state/home', operation: 'create', errno: 'EACCES' });
    assert.equal(error.code, 'STATE_DIR_UNWRITABLE');
    assert.equal(error.message, 'cannot create state/home: EACCES');
    assert.deepEqual(renderedCommands(error, 'linux'), [
      'mpm-mon doctor',
      ...showPermissionsCommands('linux', 'state/home'),
    ]);
    assert.deepEqual(renderedCommands(error, 'win32'), ['mpm-mon doctor', 'icacls state/home']);
  });

  test('PidFileLostError says the file was replaced and what to check', () => {
    const error = new PidFileLostError({ path: 'h/daemon.pid', pid: 5 });
    assert.equal(error.code, 'PID_FILE_LOST');
    assert.match(error.message, /h\/daemon\.pid no longer belongs to this daemon \(pid 5\)/);
    for (const platform of PLATFORMS)
      assert.deepEqual(renderedCommands(error, platform), [
        'mpm-mon status',
        'mpm-mon stop',
        'mpm-mon start',
      ]);
  });

  test('every error serialises to JSON with its commands per platform', () => {
    const json = new PortConflictError({ port: 1, host: 'h', owner: null }).toJSON();
    assert.equal(json.code, 'PORT_CONFLICT');
    assert.deepEqual(Object.keys(json.commands).sort(), ['all', 'darwin', 'linux', 'win32']);
  });
});

test('formatUptime and uptimeSince', () => {
  assert.equal(formatUptime(42), '42s');
  assert.equal(formatUptime(312), '5m 12s');
  assert.equal(formatUptime(3 * 3600 + 60), '3h 1m');
  assert.equal(formatUptime(2 * 86_400 + 5 * 3600), '2d 5h');
  assert.equal(formatUptime(-5), '0s');
  assert.equal(uptimeSince('not a date'), null);
  assert.equal(uptimeSince(''), null);
  assert.equal(uptimeSince('2024-01-01T00:00:10Z', Date.parse('2024-01-01T00:00:40Z')), 30);
});
