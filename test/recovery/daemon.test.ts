/**
 * Health and recovery in the real daemon (dist/cli.js --daemon, its own temp MPM_MON_HOME, port 0),
 * with thresholds forced through $MPM_MON_HOME/config.json. Every daemon is stopped by pid.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DashboardClient } from '../../source/client/dashboard-client.js';
import type { MonEvent } from '../../source/protocol/event.js';
import { connectViewer, get, postEvents, type Viewer } from '../e2e/harness.js';
import { parsePrometheusText } from '../metrics/prometheus-text.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { hookPayload } from '../helpers/events.js';
import { type DaemonProcess, startDaemon as startRealDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const running: DaemonProcess[] = [];
const viewers: Viewer[] = [];
after(() => {
  for (const viewer of viewers) viewer.close();
  for (const daemon of running) if (daemon.child.exitCode === null) process.kill(daemon.pid, 'SIGKILL');
});

interface Daemon extends DaemonProcess {
  home: string;
  exitCode: () => number | null | undefined;
}

async function startDaemon(config: Record<string, unknown>): Promise<Daemon> {
  const h = home();
  h.writeConfig(config);
  const daemon = await startRealDaemon(h);
  running.push(daemon);
  let code: number | null | undefined;
  void daemon.exited.then((exitCode) => (code = exitCode));
  return { ...daemon, home: h.path, exitCode: () => code };
}

/** Waits for a condition; a refused or reset request counts as "not yet": recovery may reopen the port. */
const until = <T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000) =>
  waitFor(
    async () => {
      try {
        return await check();
      } catch {
        return null;
      }
    },
    what,
    timeoutMs,
  );
const http = (port: number, method: string, url: string, token?: string, body?: string) =>
  method === 'GET' ? get(port, url, token) : postEvents(port, token ?? '', body ?? '');

async function viewer(daemon: Daemon): Promise<Viewer> {
  const watcher = await connectViewer(daemon.port, { token: daemon.token });
  viewers.push(watcher);
  return watcher;
}

const FAST = { intervalMs: 100, hysteresisRuns: 1 };
const MEMORY_FAILS = { memoryMb: { warn: 1, fail: 2 } };

describe('recovery in the real daemon', () => {
  test('memory fail at 2 MB: /health 503 with the failing check, breaker open after the configured failures, still serving', async () => {
    const daemon = await startDaemon({
      health: { ...FAST, thresholds: MEMORY_FAILS },
      recovery: { cooldownMs: 0, breaker: { failureThreshold: 2, resetTimeoutMs: 600_000 } },
    });
    const health = await until(async () => {
      const answer = await http(daemon.port, 'GET', '/health');
      return answer.body?.breaker?.state === 'open' ? answer : null;
    }, 'the breaker to open');
    assert.equal(health.status, 503);
    assert.equal(health.body.status, 'fail');
    assert.equal(health.body.checks['process:memory'].status, 'fail');
    assert.deepEqual(health.body.checks['process:memory'].threshold, { warn: 1, fail: 2 });
    assert.equal(health.body.degraded, true);
    assert.equal(health.body.breaker.failures, 2);

    // still serving: status, ingest, and a viewer gets live health pushes that say degraded
    assert.equal((await http(daemon.port, 'GET', '/status')).status, 200);
    const watcher = await viewer(daemon);
    const ingest = await http(
      daemon.port,
      'POST',
      '/events',
      daemon.token,
      JSON.stringify({
        hook_event_name: 'Notification',
        session_id: 's1',
        message: 'still here',
      }),
    );
    assert.equal(ingest.status, 202);
    await until(
      () => watcher.messages.some((m) => m.name === 'events' || m.name === 'event'),
      'the event at the viewer',
    );
    const pushed = await until(
      () => watcher.messages.find((m) => m.name === 'health' && m.payload.degraded === true),
      'a degraded health push',
    );
    assert.equal(pushed.payload.breaker.state, 'open');

    const diagnostics = await http(daemon.port, 'GET', '/diagnostics', daemon.token);
    const log = diagnostics.body.recovery.log as Array<{ action: string; outcome: string }>;
    assert.deepEqual(
      // (a start-up CPU spike over a 100 ms window may add a recorded warning)
      log.filter((entry) => entry.action !== 'record-warning').map((entry) => [entry.action, entry.outcome]),
      [
        ['clear-connections', 'failed'],
        ['restart-service', 'failed'],
        ['emergency-stop', 'skipped-breaker-open'],
      ],
    );
    const metrics = parsePrometheusText((await http(daemon.port, 'GET', '/metrics', daemon.token)).text);
    assert.equal(metrics.get('mpm_mon_breaker_state')!.samples[0]!.value, 2);
    assert.equal(
      metrics.get('mpm_mon_check_status')!.samples.find((s) => s.labels.check === 'process:memory')!.value,
      2,
    );
    assert.equal(daemon.exitCode(), undefined, 'the daemon did not stop');
  });

  test('with a high failure threshold the ladder reaches emergency-stop: exit 75, PID file gone', async () => {
    const daemon = await startDaemon({
      health: { ...FAST, thresholds: MEMORY_FAILS },
      recovery: { cooldownMs: 0, breaker: { failureThreshold: 50, resetTimeoutMs: 600_000 } },
    });
    await until(() => daemon.exitCode() !== undefined, 'the emergency stop', 20_000);
    assert.equal(daemon.exitCode(), 75, daemon.stderr());
    assert.equal(existsSync(join(daemon.home, 'daemon.pid')), false);
    assert.match(daemon.stderr(), /emergency-stop/);
  });

  test('a flood of malformed events does not disconnect a healthy viewer nor trigger recovery', async () => {
    // CPU and event-loop lag measured over 100 ms windows while this test floods the daemon are real
    // load, not a fault; they are taken out of judgement here so only the refusals are under test.
    const daemon = await startDaemon({
      health: {
        ...FAST,
        thresholds: {
          cpuPercent: { warn: 1000, fail: 2000 },
          eventLoopLagMs: { warn: 10_000, fail: 20_000 },
        },
      },
    });
    const watcher = await viewer(daemon);
    let disconnected = false;
    watcher.socket.on('disconnect', () => (disconnected = true));
    for (let i = 0; i < 100; i++) {
      const answer = await http(
        daemon.port,
        'POST',
        '/events',
        daemon.token,
        i % 2 ? '{"broken' : '{"no_hook_name":1}',
      );
      assert.equal(answer.status, 400);
    }
    // let several health runs see the flood
    const healthPushes = (): number => watcher.messages.filter((m) => m.name === 'health').length;
    const before = healthPushes();
    await until(() => healthPushes() >= before + 5, '5 more health runs');
    const health = await http(daemon.port, 'GET', '/health');
    assert.equal(health.status, 200, JSON.stringify(health.body));
    assert.equal(health.body.checks['service:errorRate'].status, 'pass');
    assert.equal(disconnected, false, 'the viewer is still connected');
    assert.equal(watcher.socket.connected, true);
    const diagnostics = await http(daemon.port, 'GET', '/diagnostics', daemon.token);
    assert.deepEqual(
      diagnostics.body.recovery.log,
      [],
      `no recovery was attempted: ${JSON.stringify(diagnostics.body.recovery.log)}`,
    );
    assert.ok(watcher.messages.every((m) => m.name !== 'recovery'));
  });

  test('restart-service reopens the port in-process and a connected viewer keeps receiving events', async () => {
    // Memory fails from the start; the cool-down leaves seconds between the ladder's steps, so the
    // daemon is still up (serving) after restart-service and before emergency-stop.
    const daemon = await startDaemon({
      health: { ...FAST, thresholds: MEMORY_FAILS },
      recovery: { cooldownMs: 1500, breaker: { failureThreshold: 50, resetTimeoutMs: 600_000 } },
    });
    const received: MonEvent[] = [];
    const client = new DashboardClient(
      {
        host: '127.0.0.1',
        port: daemon.port,
        token: daemon.token,
        since: 0,
        backoff: { initialMs: 20, maxMs: 200, randomizationFactor: 0.2 },
      },
      { onEvents: (events) => received.push(...events) },
    ).start();
    try {
      // The port closes and reopens under these requests: a refused or reset connection is expected.
      const tolerant = <T>(request: Promise<T>): Promise<T | null> => request.catch(() => null);
      await until(async () => {
        const diagnostics = await tolerant(http(daemon.port, 'GET', '/diagnostics', daemon.token));
        const log = (diagnostics?.body?.recovery?.log ?? []) as Array<{ action: string }>;
        return log.some((entry) => entry.action === 'restart-service');
      }, 'restart-service to run');
      const body = JSON.stringify(hookPayload(42, 'after-restart'));
      const answer = await until(async () => {
        const posted = await tolerant(http(daemon.port, 'POST', '/events', daemon.token, body));
        return posted?.status === 202 ? posted : null;
      }, 'the reopened port to take the event');
      assert.equal(answer.status, 202);
      await until(
        () => received.some((event) => event.sessionId === 'after-restart'),
        'the event at the viewer after the restart',
      );
      const seqs = received.map((event) => event.seq);
      assert.deepEqual(
        seqs,
        [...new Set(seqs)].sort((a, b) => a - b),
        'no duplicate across the restart',
      );
    } finally {
      client.stop();
    }
  });
});
