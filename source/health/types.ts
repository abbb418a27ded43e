/**
 * The seams between health monitoring and the daemon: what a check is, what one run produced, and the
 * one interface through which the daemon hands its figures to the checks (DaemonFacts).
 */
import type { TlsTrust } from '../client/tls-trust.js';
import type { CheckResult, CheckStatus } from '../protocol/health.js';
import type { StoreStats } from '../store/types.js';
import type { ClientLoad } from '../protocol/diagnostics.js';

/** A group of related measurements (process, network, service, journal) that run together. */
export interface HealthCheck {
  /** Group name; also the name of the single `fail` result reported when the group times out or throws. */
  readonly name: string;
  /**
   * Measures and judges. Must not block the event loop (async I/O only) and should stop early when
   * `signal` aborts (the monitor aborts it at its timeout and reports the group as failed).
   */
  run(signal: AbortSignal): Promise<CheckResult[]>;
  /** Releases what the check holds (histograms, handles). */
  close?(): void;
}

/** Everything one monitor run produced, for the recovery manager and tests. */
export interface HealthRun {
  /** 1, 2, 3, … */
  index: number;
  /** Epoch ms when the run started and ended (from the monitor's clock). */
  startedAt: number;
  finishedAt: number;
  results: CheckResult[];
  /** Worst status of this run's results. */
  observed: CheckStatus;
  /** Overall status after hysteresis: what /health says. */
  reported: CheckStatus;
}

/** Outcome of the daemon's loopback probe: one event through the pipeline to delivery. */
export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  detail: string;
}

/** Cumulative counters since the daemon started; the checks work on their deltas between runs. */
export interface ServiceCounters {
  /** Events accepted (stored). */
  ingested: number;
  /** Refusals by code, client-caused and internal alike (reported, never judged). */
  refusedByReason: Readonly<Record<string, number>>;
  /** Failures that are the daemon's fault (journal write failures, internal errors); judged by `errorRate`. */
  internalErrors: number;
  /** Event deliveries to viewers. */
  delivered: number;
  /** Viewers dropped for being too slow or stale. */
  droppedViewers: number;
}

/** What clients make the daemon hold: the checks tell this load from the daemon's own faults. */
export type { ClientLoad };

/** What the daemon tells the checks and /metrics. Every method is cheap and must not throw. */
export interface DaemonFacts {
  /** MPM_MON_HOME: the write test and free space are measured there. */
  readonly homeDir: string;
  /** Where the daemon listens now; null while it is not listening (start-up, restart in progress). */
  address(): { host: string; port: number; tls?: TlsTrust } | null;
  viewers(): number;
  producers(): number;
  counters(): ServiceCounters;
  /** Largest undelivered queue of any viewer, in events. */
  maxViewerBacklog(): number;
  storeStats(): StoreStats;
  clientLoad(): ClientLoad;
  /** Hook payloads waiting in the spool directory. */
  spoolStats(): Promise<{ files: number; bytes: number }>;
  /**
   * Sends one probe event through the pipeline and resolves once a viewer-side subscriber received it
   * (catches "accepts connections but delivers nothing"). Should give up when `signal` aborts.
   */
  probe(signal: AbortSignal): Promise<ProbeResult>;
}
