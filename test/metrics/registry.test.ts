import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHealthMonitor } from '../../source/health/monitor.js';
import type { HealthCheck } from '../../source/health/types.js';
import { createMetrics } from '../../source/metrics/registry.js';
import { createRecoveryManager } from '../../source/recovery/manager.js';
import { fakeDaemon } from '../health/helpers.js';
import { parsePrometheusText, type Family } from './prometheus-text.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';

const home = dirsRemovedAfter('mpm-mon-metrics-')();

const failing: HealthCheck = {
  name: 'mem',
  run: () =>
    Promise.resolve([
      {
        name: 'process:memory',
        status: 'fail',
        observedValue: 123.5,
        observedUnit: 'MiB',
        threshold: { warn: 1, fail: 2 },
        output: 'too much',
        time: new Date().toISOString(),
      },
      {
        name: 'journal:writable',
        status: 'pass',
        observedValue: null,
        observedUnit: '',
        threshold: null,
        output: 'ok',
        time: new Date().toISOString(),
      },
    ]),
};

async function setup() {
  const facts = fakeDaemon(home);
  facts.state.viewers = 4;
  facts.state.producers = 2;
  facts.state.counters = {
    ingested: 42,
    refusedByReason: { invalid_json: 3, journal_unavailable: 1 },
    internalErrors: 1,
    delivered: 160,
    droppedViewers: 1,
  };
  facts.state.store = { ...facts.state.store, bytes: 4096, lastSeq: 42 };
  facts.state.spool = { files: 2, bytes: 300 };
  const manager = createRecoveryManager({
    config: { enabled: true, cooldownMs: 0, breaker: { failureThreshold: 1, resetTimeoutMs: 60_000 } },
    actions: {
      clearConnections: () => Promise.resolve('cleared 0'),
      restartService: () => Promise.resolve('restarted'),
      emergencyStop: () => Promise.resolve(),
    },
  });
  const monitor = createHealthMonitor({
    config: { intervalMs: 1000, historySize: 5, hysteresisRuns: 1, checkTimeoutMs: 500 },
    checks: [failing],
    version: '1.2.3',
    onRun: manager.handleRun,
    annotate: manager.annotate,
  });
  await monitor.runNow(); // clear-connections
  await manager.idle();
  await monitor.runNow(); // still failing → failed → breaker open (threshold 1)
  await manager.idle();
  return { facts, monitor, manager, metrics: createMetrics(facts, monitor, manager) };
}

function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  assert.ok(family, `no metric ${name}`);
  const sample = family.samples.find((s) =>
    Object.entries(labels).every(([key, expected]) => s.labels[key] === expected),
  );
  assert.ok(sample, `no sample of ${name} with ${JSON.stringify(labels)}`);
  return sample.value;
}

describe('metrics', () => {
  test('the output parses as Prometheus text, with HELP and TYPE for every mpm_mon_ metric', async () => {
    const { metrics } = await setup();
    assert.match(metrics.contentType, /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(await metrics.render());
    const ours = [...families.values()].filter((family) => family.name.startsWith('mpm_mon_'));
    assert.ok(ours.length >= 20, `only ${ours.length} mpm_mon_ metrics`);
    for (const family of ours) {
      assert.ok(family.help, `${family.name} has no HELP`);
      assert.ok(family.type, `${family.name} has no TYPE`);
    }
    assert.ok(
      [...families.keys()].every((name) => name.startsWith('mpm_mon_')),
      'everything carries the prefix, default metrics too',
    );
    assert.ok(families.has('mpm_mon_process_cpu_user_seconds_total'), 'default process metrics present');
  });

  test('the figures come from the daemon, the monitor and the manager', async () => {
    const { metrics } = await setup();
    const families = parsePrometheusText(await metrics.render());
    assert.equal(families.get('mpm_mon_events_ingested_total')?.type, 'counter');
    assert.equal(value(families, 'mpm_mon_events_ingested_total'), 42);
    assert.equal(value(families, 'mpm_mon_events_refused_total', { reason: 'invalid_json' }), 3);
    assert.equal(value(families, 'mpm_mon_events_refused_total', { reason: 'journal_unavailable' }), 1);
    assert.equal(value(families, 'mpm_mon_events_delivered_total'), 160);
    assert.equal(value(families, 'mpm_mon_viewers_dropped_total'), 1);
    assert.equal(value(families, 'mpm_mon_viewers'), 4);
    assert.equal(value(families, 'mpm_mon_producers'), 2);
    assert.equal(value(families, 'mpm_mon_journal_bytes'), 4096);
    assert.equal(value(families, 'mpm_mon_spool_backlog', { unit: 'files' }), 2);
    assert.equal(value(families, 'mpm_mon_check_status', { check: 'process:memory' }), 2);
    assert.equal(value(families, 'mpm_mon_check_status', { check: 'journal:writable' }), 0);
    assert.equal(value(families, 'mpm_mon_check_value', { check: 'process:memory', unit: 'MiB' }), 123.5);
    assert.ok(
      !families.get('mpm_mon_check_value')!.samples.some((s) => s.labels.check === 'journal:writable'),
      'no value sample for a check without a value',
    );
    assert.equal(value(families, 'mpm_mon_health_status'), 2);
    assert.equal(
      value(families, 'mpm_mon_recovery_attempts_total', { action: 'clear-connections', outcome: 'failed' }),
      1,
    );
    assert.equal(value(families, 'mpm_mon_breaker_state'), 2);
    assert.equal(value(families, 'mpm_mon_breaker_failures'), 1);
    assert.equal(value(families, 'mpm_mon_degraded'), 1);
  });

  test('scrapes follow the facts, and several daemons in one process do not collide', async () => {
    const first = await setup();
    const second = await setup();
    first.facts.state.counters.ingested = 100;
    first.facts.state.viewers = 0;
    const a = parsePrometheusText(await first.metrics.render());
    const b = parsePrometheusText(await second.metrics.render());
    assert.equal(value(a, 'mpm_mon_events_ingested_total'), 100);
    assert.equal(value(a, 'mpm_mon_viewers'), 0);
    assert.equal(value(b, 'mpm_mon_events_ingested_total'), 42);
    // the process-wide default metrics appear once per scrape, however many daemons exist
    assert.equal(a.get('mpm_mon_process_cpu_user_seconds_total')!.samples.length, 1);
    assert.equal(b.get('mpm_mon_nodejs_eventloop_lag_max_seconds')!.samples.length, 1);
    first.monitor.stop();
    second.monitor.stop();
  });

  test('the parser itself refuses what is not Prometheus text', () => {
    assert.throws(
      () => parsePrometheusText('# HELP x y\n# TYPE x gauge\nx{a="1" 2\n'),
      /not a Prometheus sample/,
    );
    assert.throws(() => parsePrometheusText('y 1\n'), /before its HELP\/TYPE/);
    assert.throws(() => parsePrometheusText('# TYPE x gauge\nx one\n'), /bad value/);
    assert.equal(
      parsePrometheusText('# HELP x h\n# TYPE x gauge\nx{a="q\\"t"} 1.5\n').get('x')!.samples[0]!.labels.a,
      'q"t',
    );
  });
});
