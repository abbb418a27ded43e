import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createHealthMonitor, type HealthMonitor } from '../../source/health/monitor.js';
import type { HealthCheck, HealthRun } from '../../source/health/types.js';
import type { CheckResult, CheckStatus, HealthReport } from '../../source/protocol/health.js';
import { waitFor } from '../helpers/wait.js';

/** A check that reports the statuses of `script` in turn (then the last one for ever). */
function scripted(name: string, script: CheckStatus[]): HealthCheck & { calls: number } {
  const check = {
    name,
    calls: 0,
    run(): Promise<CheckResult[]> {
      const status = script[Math.min(check.calls, script.length - 1)]!;
      check.calls++;
      return Promise.resolve([
        {
          name: `${name}:value`,
          status,
          observedValue: check.calls,
          observedUnit: 'n',
          threshold: null,
          output: status,
          time: new Date().toISOString(),
        },
      ]);
    },
  };
  return check;
}

const monitors: HealthMonitor[] = [];
after(() => monitors.forEach((monitor) => monitor.stop()));

function monitorOf(
  checks: HealthCheck[],
  config: Partial<{
    intervalMs: number;
    historySize: number;
    hysteresisRuns: number;
    checkTimeoutMs: number;
  }> = {},
  extra: Partial<Parameters<typeof createHealthMonitor>[0]> = {},
): { monitor: HealthMonitor; runs: HealthRun[]; reports: HealthReport[] } {
  const runs: HealthRun[] = [];
  const reports: HealthReport[] = [];
  const monitor = createHealthMonitor({
    config: { intervalMs: 20, historySize: 5, hysteresisRuns: 2, checkTimeoutMs: 500, ...config },
    checks,
    version: '9.9.9',
    onRun: (run) => runs.push(run),
    onReport: (report) => reports.push(report),
    ...extra,
  });
  monitors.push(monitor);
  return { monitor, runs, reports };
}

describe('health monitor (real timers)', () => {
  test('runs at once, then every intervalMs, and pushes a report per run', async () => {
    const { monitor, runs, reports } = monitorOf([scripted('a', ['pass'])]);
    assert.equal(monitor.latest().status, 'pass');
    assert.deepEqual(monitor.latest().checks, {}, 'before the first run: no checks');
    monitor.start();
    await waitFor(() => runs.length >= 4, '4 runs');
    monitor.stop();
    assert.equal(reports.length, runs.length);
    assert.deepEqual(
      runs.map((run) => run.index),
      runs.map((_, i) => i + 1),
    );
    const report = monitor.latest();
    assert.equal(report.version, '9.9.9');
    assert.equal(report.checks['a:value']?.status, 'pass');
  });

  test('history is bounded by historySize', async () => {
    const { monitor, runs } = monitorOf([scripted('a', ['pass'])], { historySize: 5 });
    monitor.start();
    await waitFor(() => runs.length >= 12, '12 runs');
    monitor.stop();
    const track = monitor.history()['a:value']!;
    assert.equal(track.points.length, 5);
    assert.equal(track.points.at(-1)!.observedValue, track.latest.observedValue);
    assert.ok(track.points[0]!.observedValue! >= 8, 'only the newest points are kept');
  });

  test('hysteresis: a single spike does not flip the overall; a held state does', async () => {
    const script: CheckStatus[] = ['pass', 'pass', 'fail', 'pass', 'pass', 'fail', 'fail', 'fail'];
    const { monitor, runs, reports } = monitorOf([scripted('a', script)], { hysteresisRuns: 2 });
    monitor.start();
    await waitFor(() => runs.length >= script.length, `${script.length} runs`);
    monitor.stop();
    assert.deepEqual(
      runs.slice(0, script.length).map((run) => run.observed),
      script,
    );
    assert.deepEqual(
      reports.slice(0, script.length).map((report) => report.status),
      ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'fail'],
    );
    assert.equal(monitor.history()['a:value']!.lastChangedAt !== null, true);
  });

  test('runs never overlap, even when a run is slower than the interval', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const slow: HealthCheck = {
      name: 'slow',
      async run() {
        active++;
        calls++;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 60));
        active--;
        return [];
      },
    };
    const { monitor } = monitorOf([slow], { intervalMs: 10 });
    monitor.start();
    const again = monitor.runNow();
    assert.equal(monitor.runNow(), again, 'runNow during a run returns that run');
    await waitFor(() => calls >= 4, '4 slow runs');
    monitor.stop();
    assert.equal(maxActive, 1);
  });

  test('a hung check becomes fail "timed out" while the others still report', async () => {
    const hung: HealthCheck = { name: 'hung', run: () => new Promise(() => undefined) };
    const errors: string[] = [];
    const { monitor } = monitorOf(
      [hung, scripted('ok', ['pass'])],
      { checkTimeoutMs: 40, hysteresisRuns: 1 },
      {
        onCheckError: (error) => errors.push(error.code),
      },
    );
    const started = performance.now();
    const run = await monitor.runNow();
    assert.ok(performance.now() - started < 1000);
    assert.deepEqual(
      run.results.map((result) => [result.name, result.status, result.output]),
      [
        ['hung', 'fail', 'timed out after 40 ms'],
        ['ok:value', 'pass', 'pass'],
      ],
    );
    assert.equal(run.reported, 'fail');
    assert.deepEqual(errors, ['HEALTH_CHECK_FAILED']);
    assert.equal(monitor.latest().status, 'fail');
  });

  test('reports carry what annotate adds (the breaker), read fresh by latest()', async () => {
    let degraded = false;
    const { monitor, reports } = monitorOf([scripted('a', ['pass'])], {}, { annotate: () => ({ degraded }) });
    await monitor.runNow();
    assert.equal(reports[0]!.degraded, false);
    degraded = true;
    assert.equal(monitor.latest().degraded, true);
  });

  test('an onRun that throws does not stop the report', async () => {
    const reports: HealthReport[] = [];
    const monitor = createHealthMonitor({
      config: { intervalMs: 1000, historySize: 5, hysteresisRuns: 1, checkTimeoutMs: 100 },
      checks: [scripted('a', ['pass'])],
      version: '1',
      onRun: () => {
        throw new Error('manager bug');
      },
      onReport: (report) => reports.push(report),
    });
    monitors.push(monitor);
    await assert.rejects(monitor.runNow(), /manager bug/);
    assert.equal(reports.length, 1);
  });

  test('stop() closes the checks and no report follows', async () => {
    let closed = false;
    const check = { ...scripted('a', ['pass']), close: () => (closed = true) };
    const { monitor, reports } = monitorOf([check]);
    monitor.start();
    await waitFor(() => reports.length >= 1, 'a report');
    monitor.stop();
    const count = reports.length;
    assert.equal(closed, true);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.ok(reports.length <= count + 1, 'at most the run already in flight');
  });

  test('the interval timer does not keep the process alive', async () => {
    const monitorUrl = new URL('../../source/health/monitor.ts', import.meta.url).href;
    const script = `
      const { createHealthMonitor } = await import(${JSON.stringify(monitorUrl)});
      const monitor = createHealthMonitor({
        config: { intervalMs: 50, historySize: 5, hysteresisRuns: 1, checkTimeoutMs: 100 },
        checks: [{ name: 'a', run: async () => [] }],
        version: '1',
        onReport: () => process.stdout.write('report\\n'),
      });
      monitor.start();`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    let code: number | null | undefined;
    child.on('exit', (exitCode) => (code = exitCode));
    try {
      await waitFor(() => code !== undefined, 'the child to exit on its own', 10_000);
      assert.equal(code, 0);
      assert.match(out, /report/);
    } finally {
      if (code === undefined && child.pid) process.kill(child.pid);
    }
  });
});
