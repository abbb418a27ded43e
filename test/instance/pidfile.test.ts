import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import {
  acquirePidFile,
  inspectPidFile,
  pidFileDataForThisProcess,
  removeStalePidFile,
  staleProcessErrorFor,
} from '../../source/instance/pidfile.js';
import { readProcessStartTime } from '../../source/instance/process-info.js';
import { silentLogger } from '../../source/instance/logger-types.js';
import {
  DaemonConflictError,
  PidFileLostError,
  StaleProcessError,
  StateDirError,
} from '../../source/errors/daemon-errors.js';
import { parsePidFile, type PidFileData } from '../../source/protocol/pidfile.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { Children, collectStdout, deadPid } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

const posix = process.platform !== 'win32';
const children = new Children();
after(() => children.killAll());

let dir: ReturnType<typeof tempDir>;
let pidFile: string;
beforeEach(() => {
  dir = tempDir();
  pidFile = join(dir.path, 'home', 'daemon.pid');
});
afterEach(() => dir.remove());

const mine = () => pidFileDataForThisProcess({ port: 8765, host: '127.0.0.1', version: '9.9.9' });

function writeRaw(text: string): void {
  fs.mkdirSync(join(dir.path, 'home'), { recursive: true });
  fs.writeFileSync(pidFile, text);
}

function dataFor(pid: number, processStartTime: string | null, port = 9100): PidFileData {
  return {
    pid,
    port,
    host: '127.0.0.1',
    startedAt: new Date(Date.now() - 3_725_000).toISOString(),
    processStartTime,
    version: '0.0.1',
    nodeVersion: process.version,
    argv: ['mpm-mon', '--daemon'],
  };
}

async function liveChild(): Promise<number> {
  const child = children.idle();
  return waitFor(() => child.pid, 'the child to start');
}

async function assertConflict(promise: Promise<unknown>, pid: number): Promise<DaemonConflictError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof DaemonConflictError, `expected DaemonConflictError, got ${String(caught)}`);
  assert.equal(caught.code, 'DAEMON_CONFLICT');
  assert.match(caught.message, new RegExp(`pid ${pid}\\b`));
  assert.equal(caught.context.pid, pid);
  return caught;
}

describe('acquirePidFile', () => {
  test('creates the file (and its folder) when there is none, with this process as owner', async () => {
    const data = await mine();
    const lock = await acquirePidFile(pidFile, data, silentLogger);
    const parsed = parsePidFile(fs.readFileSync(pidFile, 'utf8'));
    assert.equal(parsed.kind, 'full');
    assert.deepEqual(parsed.kind === 'full' && parsed.data, data);
    assert.equal((await inspectPidFile(pidFile)).state, 'live');
    assert.deepEqual(
      fs.readdirSync(join(dir.path, 'home')),
      ['daemon.pid'],
      'no temp or mutex file is left behind',
    );
    assert.equal(await lock.release(), true);
    assert.equal(fs.existsSync(pidFile), false);
  });

  test('a live daemon (this process, right start time) is a conflict; its file is left untouched', async () => {
    const data = dataFor(process.pid, await readProcessStartTime(process.pid));
    writeRaw(JSON.stringify(data));
    const before = fs.readFileSync(pidFile, 'utf8');
    const error = await assertConflict(acquirePidFile(pidFile, await mine(), silentLogger), process.pid);
    assert.equal(error.context.port, 9100);
    assert.equal(error.context.host, '127.0.0.1');
    assert.match(error.message, /127\.0\.0\.1:9100, up 1h 2m/);
    assert.equal(fs.readFileSync(pidFile, 'utf8'), before);
    assert.deepEqual(error.commandsFor('linux'), ['mpm-mon status', 'mpm-mon stop', `kill ${process.pid}`]);
    assert.deepEqual(error.commandsFor('win32'), [
      'mpm-mon status',
      'mpm-mon stop',
      `taskkill /PID ${process.pid}`,
    ]);
  });

  test('a daemon in another process holds it: conflict naming that pid and port', async () => {
    const child = children.spawn(process.execPath, [
      '--import',
      'tsx',
      join(import.meta.dirname, 'fixtures', 'acquire-child.ts'),
      pidFile,
    ]);
    const stdout = collectStdout(child);
    await waitFor(() => stdout().includes('"acquired"'), 'the child to take the PID file', 15_000);
    const error = await assertConflict(acquirePidFile(pidFile, await mine(), silentLogger), child.pid!);
    assert.equal(error.context.port, 4242);
    assert.equal(child.exitCode, null, 'the running daemon is left alone');
  });

  test('a dead pid is stale: the file is removed with a log line saying why, then taken', async () => {
    const gone = await deadPid();
    writeRaw(JSON.stringify(dataFor(gone, '12345')));
    const inspection = await inspectPidFile(pidFile);
    assert.equal(inspection.state, 'stale-dead');
    assert.equal(inspection.pid, gone);
    const logger = recordingLogger();
    const lock = await acquirePidFile(pidFile, await mine(), logger);
    assert.equal(lock.data.pid, process.pid);
    const removal = logger.entries.find((entry) => entry.message === 'removed a stale PID file');
    assert.ok(removal, 'the takeover is logged');
    assert.equal(removal.fields.state, 'stale-dead');
    assert.equal(removal.fields.pid, gone);
    await lock.release();
  });

  test('a live pid with another start time is a reused PID: taken over, the process left running', async () => {
    const other = await liveChild();
    writeRaw(JSON.stringify(dataFor(other, '1')));
    const inspection = await inspectPidFile(pidFile);
    assert.equal(inspection.state, 'stale-reused');
    assert.equal(inspection.recordedStartTime, '1');
    const stale = staleProcessErrorFor(inspection);
    assert.ok(stale instanceof StaleProcessError);
    assert.equal(stale.kind, 'reused');
    assert.equal(stale.context.pid, other);
    assert.equal(inspection.actualStartTime, await readProcessStartTime(other));
    const logger = recordingLogger();
    const lock = await acquirePidFile(pidFile, await mine(), logger);
    assert.equal(
      logger.entries.find((entry) => entry.message === 'removed a stale PID file')?.fields.state,
      'stale-reused',
    );
    assert.doesNotThrow(() => process.kill(other, 0), 'the other process still runs');
    await lock.release();
  });

  test(
    'a zombie pid is stale-zombie and taken over',
    { skip: posix ? false : 'needs POSIX zombies' },
    async () => {
      const parent = children.spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30']);
      const stdout = collectStdout(parent);
      const zombie = Number(await waitFor(() => /^(\d+)\n/.exec(stdout())?.[1], 'the zombie pid'));
      writeRaw(JSON.stringify(dataFor(zombie, null)));
      await waitFor(
        async () => (await inspectPidFile(pidFile)).state === 'stale-zombie',
        'a stale-zombie verdict',
      );
      const lock = await acquirePidFile(pidFile, await mine(), silentLogger);
      assert.equal(lock.data.pid, process.pid);
      await lock.release();
    },
  );

  test('a legacy file with a live pid is a conflict; with a dead pid it is taken', async () => {
    const other = await liveChild();
    writeRaw(`${other}\n`);
    const inspection = await inspectPidFile(pidFile);
    assert.equal(inspection.state, 'live');
    assert.equal(inspection.legacy, true);
    const error = await assertConflict(acquirePidFile(pidFile, await mine(), silentLogger), other);
    assert.equal(error.context.port, null);
    assert.equal(fs.readFileSync(pidFile, 'utf8'), `${other}\n`);

    const gone = await deadPid();
    writeRaw(`${gone}\n`);
    assert.equal((await inspectPidFile(pidFile)).state, 'stale-dead');
    const lock = await acquirePidFile(pidFile, await mine(), silentLogger);
    await lock.release();
  });

  test('a legacy file naming this very process was not written by it: a reused PID', async () => {
    writeRaw(String(process.pid));
    assert.equal((await inspectPidFile(pidFile)).state, 'stale-reused');
  });

  test('a garbage file is invalid and replaced, the log saying why', async () => {
    for (const garbage of ['', 'not a pid file', '{"pid": "x"}', '-5', '[]']) {
      writeRaw(garbage);
      const inspection = await inspectPidFile(pidFile);
      assert.equal(inspection.state, 'invalid', JSON.stringify(garbage));
      assert.ok(inspection.reason.length > 0);
      const logger = recordingLogger();
      const lock = await acquirePidFile(pidFile, await mine(), logger);
      assert.equal(
        logger.entries.find((entry) => entry.message === 'removed a stale PID file')?.fields.state,
        'invalid',
      );
      await lock.release();
    }
  });

  test('concurrent takeovers of one stale file in one process: exactly one wins', async () => {
    // The async inspections interleave, so every contender judges the file stale before any removes it.
    for (const stale of [JSON.stringify(dataFor(await deadPid(), '5')), 'garbage']) {
      writeRaw(stale);
      const data = await mine();
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => acquirePidFile(pidFile, data, silentLogger)),
      );
      const winners = results.filter((result) => result.status === 'fulfilled');
      assert.equal(winners.length, 1, JSON.stringify(results.map((result) => result.status)));
      for (const result of results)
        if (result.status === 'rejected') assert.ok(result.reason instanceof DaemonConflictError);
      await winners[0]!.value.release();
    }
  });

  test('update rewrites fields atomically and keeps the identity', async () => {
    const lock = await acquirePidFile(pidFile, await mine(), silentLogger);
    await lock.update({ port: 8777, pid: 1 });
    const parsed = parsePidFile(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(parsed.kind === 'full');
    assert.equal(parsed.data.port, 8777);
    assert.equal(parsed.data.pid, process.pid, 'the pid cannot be changed by update');
    assert.equal(lock.data.port, 8777);
    assert.deepEqual(fs.readdirSync(join(dir.path, 'home')), ['daemon.pid']);
    await lock.release();
  });

  test('release removes only a file that is still ours', async () => {
    const lock = await acquirePidFile(pidFile, await mine(), silentLogger);
    const someoneElse = JSON.stringify(dataFor(process.pid + 1, '77'));
    fs.writeFileSync(pidFile, someoneElse);
    await assert.rejects(lock.update({ port: 1 }), (error: unknown) => {
      assert.ok(error instanceof PidFileLostError);
      assert.equal(error.code, 'PID_FILE_LOST');
      return true;
    });
    assert.equal(await lock.release(), false);
    assert.equal(fs.readFileSync(pidFile, 'utf8'), someoneElse);
    await assert.rejects(lock.update({ port: 1 }), PidFileLostError, 'no update after release');

    fs.rmSync(pidFile);
    const second = await acquirePidFile(pidFile, await mine(), silentLogger);
    fs.rmSync(pidFile);
    assert.equal(await second.release(), false, 'a file already gone is not an error');
  });

  test('an abandoned takeover lock (dead holder) does not block a takeover', async () => {
    writeRaw(JSON.stringify(dataFor(await deadPid(), null)));
    fs.writeFileSync(`${pidFile}.takeover`, JSON.stringify({ pid: await deadPid(), createdAt: Date.now() }));
    const logger = recordingLogger();
    const lock = await acquirePidFile(pidFile, await mine(), logger);
    assert.ok(logger.entries.some((entry) => entry.message.includes('abandoned PID file takeover lock')));
    assert.equal(fs.existsSync(`${pidFile}.takeover`), false);
    await lock.release();
  });

  test('a takeover lock held by a live process is waited for, and broken once older than the limit', async () => {
    writeRaw(JSON.stringify(dataFor(await deadPid(), null)));
    const holder = await liveChild();
    fs.writeFileSync(`${pidFile}.takeover`, JSON.stringify({ pid: holder, createdAt: Date.now() }));
    const started = Date.now();
    const lock = await acquirePidFile(pidFile, await mine(), silentLogger, { takeoverStaleMs: 150 });
    assert.ok(Date.now() - started >= 140, 'it waited for the lock to age');
    await lock.release();
  });

  test('gives up with a clear error when a live takeover lock never goes away', async () => {
    writeRaw(JSON.stringify(dataFor(await deadPid(), null)));
    fs.writeFileSync(`${pidFile}.takeover`, JSON.stringify({ pid: process.pid, createdAt: Date.now() }));
    await assert.rejects(
      acquirePidFile(pidFile, await mine(), silentLogger, { takeoverStaleMs: 60_000, timeoutMs: 100 }),
      (error: unknown) => error instanceof StateDirError && /timed out/.test(error.message),
    );
  });

  test('a home that cannot be created is a StateDirError naming the path', async () => {
    // A regular file where the home folder should be: fails for root too, unlike a chmod.
    const blocker = join(dir.path, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    await assert.rejects(
      acquirePidFile(join(blocker, 'daemon.pid'), await mine(), silentLogger),
      (error: unknown) => {
        assert.ok(error instanceof StateDirError);
        assert.equal(error.code, 'STATE_DIR_UNWRITABLE');
        assert.equal(error.context.path, blocker);
        assert.match(error.message, /ENOTDIR|EEXIST/);
        return true;
      },
    );
  });
});

describe('removeStalePidFile', () => {
  test('removes a stale file and leaves a live one', async () => {
    writeRaw(JSON.stringify(dataFor(await deadPid(), null)));
    assert.equal((await removeStalePidFile(pidFile, silentLogger)).state, 'stale-dead');
    assert.equal(fs.existsSync(pidFile), false);

    const lock = await acquirePidFile(pidFile, await mine(), silentLogger);
    assert.equal((await removeStalePidFile(pidFile, silentLogger)).state, 'live');
    assert.equal(fs.existsSync(pidFile), true);
    await lock.release();
  });

  test('inspecting a missing file says absent, and neither absent nor live is a stale error', async () => {
    const absent = await inspectPidFile(pidFile);
    assert.equal(absent.state, 'absent');
    assert.equal(staleProcessErrorFor(absent), null);
    const lock = await acquirePidFile(pidFile, await mine(), silentLogger);
    assert.equal(staleProcessErrorFor(await inspectPidFile(pidFile)), null);
    await lock.release();
  });
});
