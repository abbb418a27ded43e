import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { connectViewer, get } from './harness.js';
import { Children, deadPid, exited } from '../helpers/processes.js';
import { CLI, runCli, startDaemon } from '../helpers/daemon.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

const children = new Children();
after(() => children.killAll());
const home = homesRemovedAfter();

describe('daemon lifecycle (real binary)', () => {
  test('writes a PID file with metadata, a 0600 token, and removes the PID file on SIGTERM', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    const pid = h.pidFile()!;
    assert.equal(pid.pid, daemon.pid);
    assert.equal(pid.host, '127.0.0.1');
    assert.ok(pid.processStartTime, 'process start time recorded');
    assert.equal(
      pid.version,
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    );
    assert.equal(readFileSync(join(h.path, 'token'), 'utf8').trim().length, 64);
    if (process.platform !== 'win32') {
      const { statSync } = await import('node:fs');
      assert.equal(statSync(join(h.path, 'token')).mode & 0o777, 0o600);
    }
    const viewer = await connectViewer(daemon.port, { token: daemon.token });
    assert.equal(await daemon.stop('SIGTERM'), 0);
    viewer.close();
    const shutdown = viewer.messages.find((message) => message.name === 'shutdown');
    assert.ok(shutdown, 'viewer told about the shutdown');
    assert.match(shutdown.payload.reason, /SIGTERM/);
    assert.equal(shutdown.payload.restarting, false);
    assert.equal(existsSync(join(h.path, 'daemon.pid')), false);
    const log = readFileSync(join(h.path, 'logs', 'daemon.log'), 'utf8');
    assert.ok(!log.includes(daemon.token), 'the token never reaches the log');
    assert.match(log, /daemon stopped/);
  });

  test('the token is kept across restarts', async () => {
    const h = home();
    const first = await startDaemon(h);
    await first.stop();
    const second = await startDaemon(h);
    assert.equal(second.token, first.token);
    await second.stop();
  });

  test('a second daemon on the same home is refused and the first is untouched', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    const second = runCli(h, ['--daemon', '--port', '0']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /DAEMON_CONFLICT|already running/i);
    assert.match(second.stderr, new RegExp(String(daemon.pid)));
    assert.match(second.stderr, /(mpm-mon|dist\/cli\.js"?) stop/);
    assert.equal((await get(daemon.port, '/health')).status, 200);
    assert.equal(h.pidFile()!.pid, daemon.pid);
    await daemon.stop();
  });

  test('two daemons racing on one home: exactly one wins', async () => {
    const h = home();
    const racers = [0, 1, 2].map(() =>
      children.spawn(process.execPath, [CLI, '--daemon', '--port', '0'], {
        env: h.env,
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    const winner = await waitFor(
      () => {
        const pid = h.pidFile();
        return pid && pid.port > 0 ? pid.pid : null;
      },
      'one daemon to take the home',
      15_000,
    );
    const losers = racers.filter((child) => child.pid !== winner);
    const codes = await Promise.all(losers.map((child) => exited(child)));
    assert.deepEqual(codes, [1, 1]);
    process.kill(winner, 'SIGTERM');
    await exited(racers.find((child) => child.pid === winner)!);
  });

  test('a stale PID file of a dead process is removed with a log line and the daemon starts', async () => {
    const h = home();
    writeFileSync(
      join(h.path, 'daemon.pid'),
      JSON.stringify({ pid: await deadPid(), port: 1, host: '127.0.0.1', processStartTime: '1' }),
    );
    const daemon = await startDaemon(h);
    assert.match(readFileSync(join(h.path, 'logs', 'daemon.log'), 'utf8'), /stale/i);
    await daemon.stop();
  });

  test('a PID file naming a live process that is not ours (PID reuse) is taken over', async () => {
    const h = home();
    const foreign = children.idle();
    writeFileSync(
      join(h.path, 'daemon.pid'),
      JSON.stringify({
        pid: foreign.pid,
        port: 1,
        host: '127.0.0.1',
        processStartTime: '12345',
        startedAt: new Date(0).toISOString(),
      }),
    );
    const daemon = await startDaemon(h);
    assert.match(readFileSync(join(h.path, 'logs', 'daemon.log'), 'utf8'), /reused/i);
    assert.equal(foreign.exitCode, null, 'the foreign process is left alone');
    await daemon.stop();
  });

  test('an explicit port that is taken is a PortConflictError naming the port and the owner', async () => {
    const h = home();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = runCli(h, ['--daemon', '--port', String(port)]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /PORT_CONFLICT/);
      assert.match(result.stderr, new RegExp(`${port}`));
      assert.match(result.stderr, new RegExp(`pid ${process.pid}|PID ${process.pid}|${process.pid}`));
      assert.ok(!existsSync(join(h.path, 'daemon.pid')), 'no PID file left behind');
    } finally {
      blocker.close();
    }
  });

  test('the default port taken by another program falls back within portRange', async () => {
    const h = home();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    // Port taken as the configured default (not "explicit"): the range is searched.
    const env = { ...h.env };
    h.writeConfig({ portRange: [taken, taken + 20] });
    const child = children.spawn(process.execPath, [CLI, '--daemon'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      // The configured default port is 8765, which may be free: only assert the daemon came up in the range or on 8765.
      const pid = await waitFor(
        () => {
          const data = h.pidFile();
          return data && data.port > 0 ? data : null;
        },
        'the daemon to bind',
        15_000,
      );
      assert.ok(pid.port === 8765 || (pid.port > taken && pid.port <= taken + 20), `port ${pid.port}`);
    } finally {
      process.kill(child.pid!, 'SIGTERM');
      await exited(child);
      blocker.close();
    }
  });

  test('an invalid setting is refused at start-up with the key, the value and what is allowed', () => {
    const h = home();
    const result = runCli(h, ['--daemon'], undefined, { MPM_MON_HEALTH_INTERVAL_MS: 'soon' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /health\.intervalMs/);
    assert.match(result.stderr, /"soon"/);
    assert.match(result.stderr, /MPM_MON_HEALTH_INTERVAL_MS/);
    assert.match(result.stderr, /integer/);
  });

  test('start / status / stop / status through the binary', () => {
    const h = home();
    assert.equal(runCli(h, ['status']).code, 3);
    const started = runCli(h, ['start', '--port', '0']);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /started \(pid \d+/);
    let pid = h.pidFile()!.pid;
    try {
      const status = runCli(h, ['status', '--json']);
      assert.equal(status.code, 0);
      const parsed = JSON.parse(status.stdout);
      assert.equal(parsed.running, true);
      assert.equal(parsed.status.pid, pid);
      assert.equal(runCli(h, ['start']).code, 0, 'start when running is a no-op');
      const port = h.pidFile()!.port;
      const restarted = runCli(h, ['restart']);
      assert.equal(restarted.code, 0, restarted.stderr);
      assert.notEqual(h.pidFile()!.pid, pid, 'a new process');
      assert.equal(h.pidFile()!.port, port, 'back on the same port');
      pid = h.pidFile()!.pid;
      const stopped = runCli(h, ['stop']);
      assert.equal(stopped.code, 0);
      assert.match(stopped.stdout, /stopped/);
      assert.equal(runCli(h, ['status']).code, 3);
      assert.equal(runCli(h, ['stop']).code, 0, 'stop when none runs is fine');
    } finally {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // stopped already
      }
    }
  });

  test('stop does not wait for a parent to reap its stopped daemon (zombie)', async () => {
    const h = home();
    const daemon = await startDaemon(h);
    // spawnSync blocks this process, the daemon's parent, so the stopped daemon stays a zombie meanwhile.
    const stopped = runCli(h, ['stop']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /stopped/);
    assert.equal(await daemon.exited, 0);
  });

  test('a second signal during a stop forces the exit', async () => {
    const h = home();
    const child = spawn(process.execPath, [CLI, '--daemon', '--port', '0'], { env: h.env, stdio: 'ignore' });
    await waitFor(() => (h.pidFile()?.port ?? 0) > 0, 'daemon up', 15_000);
    process.kill(child.pid!, 'SIGTERM');
    process.kill(child.pid!, 'SIGTERM');
    const code = await exited(child);
    // 0 when the graceful stop won the race, 143 (128 + SIGTERM) when the second signal forced it.
    assert.ok(code === 0 || code === 143, `exit ${code}`);
  });
});
