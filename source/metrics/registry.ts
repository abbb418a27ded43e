/**
 * Prometheus metrics for GET /metrics: one fresh prom-client Registry per daemon (never the global one,
 * so several daemons in one test process do not collide). Every figure is read at scrape time from the
 * daemon's facts, the health monitor and the recovery manager — nothing on the event path updates a metric.
 *
 * The default process metrics (CPU, memory, GC, event-loop lag) describe the process, not a daemon,
 * and prom-client's collector starts an event-loop histogram and a GC observer that are never released:
 * they live in one process-wide registry, created on first use, and are rendered with each daemon's.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { severity } from '../health/evaluate.js';
import type { HealthMonitor } from '../health/monitor.js';
import type { DaemonFacts } from '../health/types.js';
import type { BreakerStateName } from '../protocol/health.js';
import type { TokenTotals } from '../protocol/session.js';
import type { RecoveryManager } from '../recovery/manager.js';

export const METRIC_PREFIX = 'mpm_mon_';

const BREAKER_VALUE: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

let processRegistry: Registry | null = null;

/** The process-wide registry of prom-client's default metrics (created once). */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    // 20 ms like the health monitor's own lag sampling: finer costs idle CPU for nothing.
    collectDefaultMetrics({
      register: processRegistry,
      prefix: METRIC_PREFIX,
      eventLoopMonitoringPrecision: 20,
    });
  }
  return processRegistry;
}

export interface Metrics {
  /** This daemon's own metrics (the default process metrics are in processMetricsRegistry()). */
  registry: Registry;
  /** The Content-Type header for `render()`'s text. */
  contentType: string;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
}

export type MetricsFacts = Pick<
  DaemonFacts,
  'viewers' | 'producers' | 'counters' | 'storeStats' | 'spoolStats' | 'maxViewerBacklog'
>;

/** A counter whose value is a cumulative figure read at scrape time. */
function cumulative(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name: METRIC_PREFIX + name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function gauge(registry: Registry, name: string, help: string, read: () => number | Promise<number>): Gauge {
  return new Gauge({
    name: METRIC_PREFIX + name,
    help,
    registers: [registry],
    async collect() {
      this.set(await read());
    },
  });
}

/** Tokens and cost per model since the daemon started, from the sessions' transcripts. */
export type ModelTotalsSource = () => ReadonlyMap<string, { tokens: TokenTotals; costUsd: number | null }>;

const TOKEN_KINDS: ReadonlyArray<readonly [keyof TokenTotals, string]> = [
  ['input', 'input'],
  ['output', 'output'],
  ['cacheRead', 'cache_read'],
  ['cacheWrite', 'cache_write'],
];

export function createMetrics(
  facts: MetricsFacts,
  monitor: Pick<HealthMonitor, 'latest'>,
  manager: Pick<RecoveryManager, 'attemptCounts' | 'breaker' | 'degraded'>,
  modelTotals: ModelTotalsSource = () => new Map(),
): Metrics {
  const registry = new Registry();
  const processWide = processMetricsRegistry();

  cumulative(
    registry,
    'events_ingested_total',
    'Events accepted and stored.',
    () => facts.counters().ingested,
  );
  new Counter({
    name: `${METRIC_PREFIX}events_refused_total`,
    help: 'Events and requests refused, by reason (client-caused and internal).',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, count] of Object.entries(facts.counters().refusedByReason))
        this.inc({ reason }, count);
    },
  });
  cumulative(
    registry,
    'internal_errors_total',
    "Failures that are the daemon's fault.",
    () => facts.counters().internalErrors,
  );
  cumulative(
    registry,
    'events_delivered_total',
    'Event deliveries to viewers.',
    () => facts.counters().delivered,
  );
  cumulative(
    registry,
    'viewers_dropped_total',
    'Viewers dropped as slow or stale.',
    () => facts.counters().droppedViewers,
  );

  gauge(registry, 'viewers', 'Connected viewers.', () => facts.viewers());
  gauge(registry, 'producers', 'Connected producers.', () => facts.producers());
  gauge(registry, 'delivery_backlog_events', 'Largest undelivered queue of any viewer.', () =>
    facts.maxViewerBacklog(),
  );
  gauge(registry, 'journal_bytes', 'Bytes of the event journal on disk.', () => facts.storeStats().bytes);
  gauge(registry, 'journal_last_seq', 'Highest event seq stored.', () => facts.storeStats().lastSeq);
  gauge(
    registry,
    'journal_corrupt_lines',
    'Journal lines skipped at recovery as corrupt.',
    () => facts.storeStats().corruptLines,
  );
  gauge(registry, 'journal_writable', '1 when the journal can be written, else 0.', () =>
    facts.storeStats().writable ? 1 : 0,
  );
  new Gauge({
    name: `${METRIC_PREFIX}spool_backlog`,
    help: 'Hook payloads waiting in the spool.',
    labelNames: ['unit'],
    registers: [registry],
    async collect() {
      const spool = await facts.spoolStats();
      this.set({ unit: 'files' }, spool.files);
      this.set({ unit: 'bytes' }, spool.bytes);
    },
  });

  gauge(registry, 'health_status', 'Reported overall health: 0 pass, 1 warn, 2 fail.', () =>
    severity(monitor.latest().status),
  );
  new Gauge({
    name: `${METRIC_PREFIX}check_status`,
    help: 'Latest status per health check: 0 pass, 1 warn, 2 fail.',
    labelNames: ['check'],
    registers: [registry],
    collect() {
      this.reset();
      for (const result of Object.values(monitor.latest().checks))
        this.set({ check: result.name }, severity(result.status));
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}check_value`,
    help: 'Latest observed value per health check (in the observedUnit of the check).',
    labelNames: ['check', 'unit'],
    registers: [registry],
    collect() {
      this.reset();
      for (const result of Object.values(monitor.latest().checks)) {
        if (result.observedValue !== null)
          this.set({ check: result.name, unit: result.observedUnit }, result.observedValue);
      }
    },
  });

  new Counter({
    name: `${METRIC_PREFIX}recovery_attempts_total`,
    help: 'Recovery attempts by action and verdict.',
    labelNames: ['action', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [action, outcomes] of Object.entries(manager.attemptCounts())) {
        for (const [outcome, count] of Object.entries(outcomes)) this.inc({ action, outcome }, count);
      }
    },
  });
  gauge(
    registry,
    'breaker_state',
    'Recovery circuit breaker: 0 closed, 1 half-open, 2 open.',
    () => BREAKER_VALUE[manager.breaker().state],
  );
  gauge(
    registry,
    'breaker_failures',
    'Consecutive failed recovery attempts.',
    () => manager.breaker().failures,
  );
  gauge(
    registry,
    'degraded',
    '1 while recovery has given up (breaker not closed) and the daemon serves degraded.',
    () => (manager.degraded() ? 1 : 0),
  );

  new Counter({
    name: `${METRIC_PREFIX}session_tokens_total`,
    help: 'Tokens Claude Code sessions used, by model and kind (input, output, cache_read, cache_write), from their transcripts.',
    labelNames: ['model', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [model, totals] of modelTotals())
        for (const [key, kind] of TOKEN_KINDS) this.inc({ model, kind }, totals.tokens[key]);
    },
  });
  new Counter({
    name: `${METRIC_PREFIX}session_cost_usd_total`,
    help: 'What those tokens cost in USD by the price table, per model (models without a price are left out).',
    labelNames: ['model'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [model, totals] of modelTotals())
        if (totals.costUsd !== null) this.inc({ model }, totals.costUsd);
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    render: async () => {
      const [own, process] = await Promise.all([registry.metrics(), processWide.metrics()]);
      return `${own.trimEnd()}\n${process.trimEnd()}\n`;
    },
  };
}
