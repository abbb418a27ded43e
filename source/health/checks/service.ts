/**
 * The daemon's service to its clients: viewers and producers, ingest rate, refusals, internal error
 * rate, delivery backlog. Figures are deltas since the previous run.
 *
 * Refusals caused by bad client input (malformed JSON, invalid or oversized events, rate limits, bad
 * tokens) are reported here but never judged: they are not a daemon fault, and judging them would let
 * a misbehaving client make recovery disconnect healthy viewers. Only the daemon's own failures
 * (`internalErrors`: journal write failures, internal errors) count towards `errorRate`. Idle — no
 * traffic at all — is healthy.
 */
import type { CheckResult } from '../../protocol/health.js';
import { LOAD_REFUSALS } from '../../protocol/event.js';
import type { Config } from '../../config/schema.js';
import type { DaemonFacts, HealthCheck, ServiceCounters } from '../types.js';
import { judged } from './result.js';

export interface ServiceDeltas {
  seconds: number;
  ingested: number;
  internalErrors: number;
  refused: Record<string, number>;
  delivered: number;
  droppedViewers: number;
}

/** What changed between two counter readings (counters only grow; a reset reads as 0, not negative). */
export function serviceDeltas(
  before: ServiceCounters,
  after: ServiceCounters,
  seconds: number,
): ServiceDeltas {
  const diff = (a: number, b: number): number => Math.max(0, b - a);
  const refused: Record<string, number> = {};
  for (const [reason, count] of Object.entries(after.refusedByReason)) {
    const delta = diff(before.refusedByReason[reason] ?? 0, count);
    if (delta > 0) refused[reason] = delta;
  }
  return {
    seconds,
    ingested: diff(before.ingested, after.ingested),
    internalErrors: diff(before.internalErrors, after.internalErrors),
    refused,
    delivered: diff(before.delivered, after.delivered),
    droppedViewers: diff(before.droppedViewers, after.droppedViewers),
  };
}

/**
 * Internal errors over the attempts the daemon was responsible for (accepted + failed internally).
 * Client refusals are in neither part. 0 when idle.
 */
export function internalErrorRate(deltas: Pick<ServiceDeltas, 'ingested' | 'internalErrors'>): number {
  const attempts = deltas.ingested + deltas.internalErrors;
  return attempts === 0 ? 0 : deltas.internalErrors / attempts;
}

function describeRefusals(refused: Record<string, number>): string {
  const entries = Object.entries(refused).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'none' : entries.map(([reason, count]) => `${reason} ${count}`).join(', ');
}

export interface ServiceCheckOptions {
  facts: Pick<DaemonFacts, 'viewers' | 'producers' | 'counters' | 'maxViewerBacklog'> &
    Partial<Pick<DaemonFacts, 'clientLoad'>>;
  thresholds: Config['health']['thresholds'];
  now?: () => number;
}

export function createServiceCheck(options: ServiceCheckOptions): HealthCheck {
  const now = options.now ?? Date.now;
  const { facts, thresholds } = options;
  let last = { at: now(), counters: facts.counters() };
  return {
    name: 'service',
    run(): Promise<CheckResult[]> {
      const at = now();
      const counters = facts.counters();
      const seconds = Math.max(0.001, (at - last.at) / 1000);
      const deltas = serviceDeltas(last.counters, counters, seconds);
      last = { at, counters };
      const time = new Date(at).toISOString();
      const refusedTotal = Object.values(deltas.refused).reduce((sum, count) => sum + count, 0);
      const rate = internalErrorRate(deltas);
      const viewers = facts.viewers();
      const backlog = facts.maxViewerBacklog();
      const overLimits = Object.fromEntries(
        Object.entries(deltas.refused).filter(([reason]) =>
          (LOAD_REFUSALS as readonly string[]).includes(reason),
        ),
      );
      const overTotal = Object.values(overLimits).reduce((sum, count) => sum + count, 0);
      const load = facts.clientLoad?.();
      const held = load
        ? `; holding ${load.connections} connections (${load.pendingConnections} before their first request), ${load.replaysActive} replays (${load.replaysQueued} waiting)`
        : '';
      return Promise.resolve([
        judged(
          {
            name: 'service:clients',
            value: viewers,
            unit: 'viewers',
            output: `${viewers} viewers, ${facts.producers()} producers; ${deltas.droppedViewers} viewers dropped since the last run`,
          },
          time,
        ),
        judged(
          {
            name: 'service:ingestRate',
            value: deltas.ingested / seconds,
            unit: 'events/s',
            output:
              deltas.ingested === 0
                ? 'idle: no events since the last run'
                : `${deltas.ingested} events accepted, ${deltas.delivered} deliveries since the last run`,
          },
          time,
        ),
        judged(
          {
            name: 'service:refusals',
            value: refusedTotal / seconds,
            unit: 'refusals/s',
            output: `refused since the last run, by reason: ${describeRefusals(deltas.refused)} (reported only: bad client input is not a daemon fault)`,
          },
          time,
        ),
        judged(
          {
            name: 'service:clientLimits',
            value: overTotal,
            unit: 'refusals',
            // A warning at most: the clients' load is theirs to fix, and recovery never acts on it.
            status: overTotal > 0 ? 'warn' : 'pass',
            output:
              overTotal === 0
                ? `no client over its limits since the last run${held}`
                : `refused past the clients' limits since the last run: ${describeRefusals(overLimits)}${held} (the clients' load, not a daemon fault)`,
          },
          time,
        ),
        judged(
          {
            name: 'service:errorRate',
            value: rate,
            unit: 'ratio',
            threshold: thresholds.errorRate,
            output:
              deltas.internalErrors === 0
                ? 'no internal errors since the last run'
                : `${deltas.internalErrors} internal errors in ${deltas.ingested + deltas.internalErrors} attempts since the last run`,
          },
          time,
        ),
        judged(
          {
            name: 'service:deliveryBacklog',
            value: backlog,
            unit: 'events',
            threshold: thresholds.deliveryBacklog,
            output:
              backlog === 0 ? 'every viewer is caught up' : `the slowest viewer is ${backlog} events behind`,
          },
          time,
        ),
      ]);
    },
  };
}
