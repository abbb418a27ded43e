import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { daemonUrl, discoverDaemon } from '../../source/client/discover.js';

/** A real listener of this process: the PID file names it, so the listener check holds. */
let listenPort = 0;
let server: Server;

function pidFile(pid: number, port = listenPort): string {
  return JSON.stringify({
    pid,
    port,
    host: '127.0.0.1',
    startedAt: '2025-01-01T00:00:00.000Z',
    processStartTime: null,
    version: '0.1.0',
    nodeVersion: process.version,
    argv: [],
  });
}

describe('discoverDaemon', () => {
  let home: string;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'mpm-mon-discover-'));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    listenPort = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.close();
    rmSync(home, { recursive: true, force: true });
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
    'a port the PID file names but its process does not hold: nothing is sent (not-our-daemon)',
    { skip: process.platform !== 'linux' && 'the listener is verified through /proc (Linux)' },
    async () => {
      // Another process of ours holds the port; the PID file names this process.
      const child = spawn(
        process.execPath,
        [
          '-e',
          "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))",
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        const port = await new Promise<number>((resolve) =>
          child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
        );
        writeFileSync(join(home, 'daemon.pid'), pidFile(process.pid, port));
        writeFileSync(join(home, 'token'), 'secret-token\n');
        const result = discoverDaemon({ home });
        assert.equal(result.ok === false && result.code, 'not-our-daemon');
        assert.match(result.ok ? '' : result.reason, new RegExp(`not held by process ${process.pid}`));
        writeFileSync(join(home, 'daemon.pid'), pidFile(child.pid!, port));
        assert.equal(discoverDaemon({ home }).ok, true, 'the process that holds it is verified');
      } finally {
        child.kill('SIGKILL');
      }
    },
  );

  test(
    "nothing listening on the PID file's port: not-our-daemon",
    { skip: process.platform !== 'linux' },
    () => {
      writeFileSync(join(home, 'daemon.pid'), pidFile(process.pid, 1));
      const result = discoverDaemon({ home });
      assert.equal(result.ok === false && result.code, 'not-our-daemon');
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
