import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { parseProcStat } from '../../source/instance/daemon-identity.js';

import { join } from 'node:path';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { daemonUrl, discoverDaemon } from '../../source/client/discover.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';

const newDir = dirsRemovedAfter('mpm-mon-discover-');

/** A real listener of this process: the PID file names it, so the listener check holds. */
let listenPort = 0;
let server: Server;

/** The OS's start time of `pid` (Linux /proc), as the daemon records it in its PID file. */
function startTimeOf(pid: number): string | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.startTime ?? null;
  } catch {
    return null;
  }
}

function pidFile(pid: number, port = listenPort, processStartTime = startTimeOf(pid)): string {
  return JSON.stringify({
    pid,
    port,
    host: '127.0.0.1',
    startedAt: '2025-01-01T00:00:00.000Z',
    processStartTime,
    version: '0.1.0',
    nodeVersion: process.version,
    argv: [],
  });
}

describe('discoverDaemon', () => {
  let home: string;
  before(async () => {
    home = newDir();
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    listenPort = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.close();
  });

  test('no PID file: says where it looked', () => {
    const result = discoverDaemon({ home });
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.code, 'no-pid-file');
      assert.match(result.reason, /daemon\.pid/);
    }
  });

  test('a live daemon with a token: host, port, pid and token', () => {
    writeFileSync(join(home, 'daemon.pid'), pidFile(process.pid));
    writeFileSync(join(home, 'token'), 'secret-token\n');
    const result = discoverDaemon({ home });
    assert.deepEqual(result, {
      ok: true,
      daemon: {
        scheme: 'http',
        host: '127.0.0.1',
        port: listenPort,
        token: 'secret-token',
        pid: process.pid,
        version: '0.1.0',
        startedAt: '2025-01-01T00:00:00.000Z',
      },
    });
  });

  test('missing token file', () => {
    rmSync(join(home, 'token'));
    const result = discoverDaemon({ home });
    assert.equal(result.ok === false && result.code, 'no-token');
  });

  test('a PID that no longer runs is a stale PID file', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(join(home, 'daemon.pid'), pidFile(pid));
    writeFileSync(join(home, 'token'), 'secret-token\n');
    const result = discoverDaemon({ home });
    assert.equal(result.ok === false && result.code, 'not-running');
    assert.match(result.ok ? '' : result.reason, new RegExp(`process ${pid}`));
  });

  test('a bare PID or garbage is not usable', () => {
    writeFileSync(join(home, 'daemon.pid'), `${process.pid}\n`);
    const legacy = discoverDaemon({ home });
    assert.equal(legacy.ok === false && legacy.code, 'invalid-pid-file');
    writeFileSync(join(home, 'daemon.pid'), '{not json');
    const garbage = discoverDaemon({ home });
    assert.equal(garbage.ok === false && garbage.code, 'invalid-pid-file');
  });

  test(
    'a reused PID (another start time) or a process without a recorded start time: not-our-daemon',
    { skip: process.platform !== 'linux' && 'the daemon is verified through /proc (Linux)' },
    () => {
      writeFileSync(join(home, 'token'), 'secret-token\n');
      writeFileSync(join(home, 'daemon.pid'), pidFile(process.pid, listenPort, '1'));
      const reused = discoverDaemon({ home });
      assert.equal(reused.ok === false && reused.code, 'not-our-daemon');
      assert.match(reused.ok ? '' : reused.reason, /not the daemon that wrote the PID file/);
      writeFileSync(join(home, 'daemon.pid'), pidFile(process.pid, listenPort, null));
      assert.equal(discoverDaemon({ home }).ok, false);
      writeFileSync(join(home, 'daemon.pid'), pidFile(process.pid));
      assert.equal(discoverDaemon({ home }).ok, true, 'the process that wrote it is verified');
    },
  );

  test(
    'a FIFO, a link or a huge file as the PID file or token is not read, and never blocks',
    { skip: process.platform === 'win32' },
    () => {
      const pidPath = join(home, 'daemon.pid');
      const tokenPath = join(home, 'token');
      rmSync(pidPath, { force: true });
      execFileSync('mkfifo', [pidPath]);
      const fifo = discoverDaemon({ home });
      assert.equal(fifo.ok === false && fifo.code, 'unreadable-pid-file');
      assert.match(fifo.ok ? '' : fifo.reason, /not a regular file/);
      rmSync(pidPath);
      writeFileSync(join(home, 'elsewhere'), pidFile(process.pid));
      symlinkSync(join(home, 'elsewhere'), pidPath);
      const link = discoverDaemon({ home });
      assert.match(link.ok ? '' : link.reason, /symbolic link/);
      rmSync(pidPath);
      writeFileSync(pidPath, pidFile(process.pid) + ' '.repeat(100_000));
      const huge = discoverDaemon({ home });
      assert.match(huge.ok ? '' : huge.reason, /more than the/);
      writeFileSync(pidPath, pidFile(process.pid));
      rmSync(tokenPath, { force: true });
      execFileSync('mkfifo', [tokenPath]);
      const fifoToken = discoverDaemon({ home });
      assert.equal(fifoToken.ok === false && fifoToken.code, 'no-token');
      rmSync(tokenPath);
    },
  );

  test('daemonUrl brackets IPv6 hosts', () => {
    assert.equal(daemonUrl({ host: '127.0.0.1', port: 1 }), 'http://127.0.0.1:1');
    assert.equal(daemonUrl({ host: '::1', port: 2 }), 'http://[::1]:2');
  });
});
