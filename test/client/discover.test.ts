import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonUrl, discoverDaemon } from '../../source/client/discover.js';

function pidFile(pid: number): string {
  return JSON.stringify({
    pid,
    port: 48765,
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
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'mpm-mon-discover-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

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
        port: 48765,
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

  test('daemonUrl brackets IPv6 hosts', () => {
    assert.equal(daemonUrl({ host: '127.0.0.1', port: 1 }), 'http://127.0.0.1:1');
    assert.equal(daemonUrl({ host: '::1', port: 2 }), 'http://[::1]:2');
  });
});
