/**
 * Wires the observers to the daemon: the facts the health checks and /metrics read, the health
 * monitor, the recovery manager and its actions, and /diagnostics. None of it is on the event path.
 */
import { tlsConnectOptions, type TlsTrust } from '../client/tls-trust.js';
import { createStandardChecks } from '../health/checks/index.js';
import { createHealthMonitor, type HealthMonitor } from '../health/monitor.js';
import type { ClientLoad, DaemonFacts, ProbeResult, ServiceCounters } from '../health/types.js';
import type { Metrics } from '../metrics/registry.js';
import type { DiagnosticsResponse } from '../protocol/diagnostics.js';
import type { HealthReport } from '../protocol/health.js';
import { DASHBOARD_NAMESPACE, type ClusterInfo, type StatusResponse } from '../protocol/messages.js';
import { VERSION } from '../protocol/version.js';
import { createRecoveryManager, type RecoveryManager } from '../recovery/manager.js';
import type { StoreStats } from '../store/types.js';
import type { Config } from '../config/schema.js';
import type { SessionTracker } from './session-tracker.js';
import type { HomePaths } from '../config/home.js';
import type { Logger } from '../instance/logger-types.js';
import type { PidFileData } from '../protocol/pidfile.js';
import type { EventStore } from '../store/types.js';
import type { Counters } from './counters.js';
import type { Listener } from './listener.js';
import type { ReplayGate } from './replay-gate.js';
import { maskConfig } from './mask-config.js';

/** Exit code after an emergency stop: a supervisor should restart the daemon clean. */
export const EXIT_EMERGENCY = 75;
const PROBE_TIMEOUT_MS = 2000;

/** What the observers read of the daemon and the one action they take on it (the Daemon provides it). */
export interface HealthHost {
  readonly paths: HomePaths;
  readonly config: Config;
  readonly counters: Counters;
  readonly startedAt: Date;
  readonly logger: Logger;
  readonly token: string;
  readonly store: EventStore;
  readonly listener: Listener;
  readonly replays: ReplayGate;
  readonly sessions: SessionTracker;
  cluster(): ClusterInfo;
  readonly port: number;
  readonly tlsTrust: TlsTrust | undefined;
  readonly producerCount: number;
  status(): StatusResponse;
  pidFileData(): PidFileData | null;
  spoolFigures(): Promise<{ files: number; bytes: number }>;
  stop(options: { reason: string; restarting?: boolean; exitCode?: number }): Promise<void>;
}

export class DaemonHealth implements DaemonFacts {
  readonly monitor: HealthMonitor;
  readonly recovery: RecoveryManager;
  private metricsRegistry: Promise<Metrics> | null = null;

  constructor(private readonly daemon: HealthHost) {
    const { config } = daemon;
    this.recovery = createRecoveryManager({
      config: config.recovery,
      logger: daemon.logger,
      onEntry: (entry) => {
        daemon.listener.emitToViewers({ name: 'recovery', entry });
        daemon.logger.info('recovery', { ...entry });
      },
      actions: {
        clearConnections: () => this.clearConnections(),
        restartService: () => this.restartService(),
        emergencyStop: (reason) =>
          daemon.stop({ reason: `emergency stop: ${reason}`, restarting: false, exitCode: EXIT_EMERGENCY }),
      },
    });
    this.monitor = createHealthMonitor({
      config: config.health,
      checks: createStandardChecks(this, config),
      version: VERSION,
      startedAt: daemon.startedAt.getTime(),
      onRun: (run) => this.recovery.handleRun(run),
      annotate: () => this.recovery.annotate(),
      onReport: (report) => daemon.listener.emitToViewers({ name: 'health', report }),
      onCheckError: (error) =>
        daemon.logger.warn('health check failed', { check: error.context.check, error: error.message }),
    });
  }

  get homeDir(): string {
    return this.daemon.paths.home;
  }

  /** Loads the probe's client first, so the first run does not measure an import. */
  async start(): Promise<void> {
    await import('socket.io-client');
    this.monitor.start();
  }

  stop(): void {
    this.monitor.stop();
  }

  latest(): HealthReport {
    return this.monitor.latest();
  }

  // DaemonFacts: what the checks and /metrics read.
  address(): { host: string; port: number; tls?: TlsTrust } | null {
    const trust = this.daemon.tlsTrust;
    return this.daemon.port
      ? { host: this.daemon.config.host, port: this.daemon.port, ...(trust ? { tls: trust } : {}) }
      : null;
  }

  viewers(): number {
    return this.daemon.listener.viewers;
  }

  producers(): number {
    return this.daemon.producerCount;
  }

  counters(): ServiceCounters {
    const { counters, listener } = this.daemon;
    return {
      ingested: counters.ingested,
      refusedByReason: counters.refusedByReason,
      internalErrors: counters.internalErrors,
      delivered: listener.broadcaster.delivered,
      droppedViewers: listener.broadcaster.droppedSlowViewers,
    };
  }

  maxViewerBacklog(): number {
    return this.daemon.listener.broadcaster.maxBacklog();
  }

  clientLoad(): ClientLoad {
    const { listener, replays, config } = this.daemon;
    const { connections, pending } = listener.connectionFigures();
    return {
      connections,
      pendingConnections: pending,
      maxConnections: config.limits.maxConnections,
      replaysActive: replays.active,
      replaysQueued: replays.queued,
      replaysStarted: replays.started,
      replaysPeak: replays.peak,
    };
  }

  storeStats(): StoreStats {
    return this.daemon.store.stats();
  }

  spoolStats(): Promise<{ files: number; bytes: number }> {
    return this.daemon.spoolFigures();
  }

  /**
   * A round trip through the daemon's own front door: a Socket.IO connection to /dashboard (HTTP
   * upgrade, token, namespace) asking the store for one event. It catches a listener that accepts
   * connections but answers nothing. The probe connection is not a viewer and gets no events.
   */
  async probe(signal: AbortSignal): Promise<ProbeResult> {
    const address = this.address();
    if (!address) return { ok: false, latencyMs: 0, detail: 'not listening' };
    const started = performance.now();
    const { io } = await import('socket.io-client');
    const scheme = address.tls ? 'https' : 'http';
    const socket = io(`${scheme}://127.0.0.1:${address.port}${DASHBOARD_NAMESPACE}`, {
      transports: ['websocket'],
      ...(address.tls ? tlsConnectOptions(address.tls) : {}),
      auth: { token: this.daemon.token, probe: true },
      reconnection: false,
      forceNew: true,
      timeout: PROBE_TIMEOUT_MS,
    });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const fail = (reason: string): void => reject(new Error(reason));
        signal.addEventListener('abort', () => fail('probe aborted'), { once: true });
        const timer = setTimeout(() => fail(`no answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
        socket.once('connect_error', (error) => fail(`connect failed: ${error.message}`));
        socket.once('connect', () => {
          socket.emit('history', { limit: 1 }, (reply: { ok: boolean }) => {
            clearTimeout(timer);
            resolve(reply.ok ? 'round trip ok' : 'the store did not answer');
          });
        });
      });
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      return { ok: answer === 'round trip ok', latencyMs, detail: answer };
    } catch (error) {
      return {
        ok: false,
        latencyMs: Math.round(performance.now() - started),
        detail: (error as Error).message,
      };
    } finally {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }

  async diagnostics(): Promise<DiagnosticsResponse> {
    const { daemon } = this;
    return {
      generatedAt: new Date().toISOString(),
      version: VERSION,
      node: process.version,
      platform: process.platform,
      home: daemon.paths.home,
      config: maskConfig(daemon.config),
      pidFile: { path: daemon.paths.pidFile, ...daemon.pidFileData() },
      status: daemon.status(),
      health: this.monitor.latest(),
      history: this.monitor.history(),
      recovery: {
        log: this.recovery.log(),
        breaker: this.recovery.breaker(),
        degraded: this.recovery.degraded(),
      },
      viewers: daemon.listener.broadcaster.viewersInfo(),
      producers: daemon.producerCount,
      cluster: daemon.cluster(),
      load: this.clientLoad(),
      journal: daemon.store.stats(),
      spool: await daemon.spoolFigures(),
      refusals: { byReason: daemon.counters.refusedByReason, recent: daemon.counters.recentRefusals() },
      sessions: daemon.sessions.diagnostics(),
    };
  }

  /**
   * prom-client and its default collectors load at the first scrape: every figure is read at scrape time
   * anyway, and a daemon nobody scrapes does not carry them (a fifth of its idle heap).
   */
  async metrics(): Promise<{ contentType: string; body: string }> {
    this.metricsRegistry ??= import('../metrics/registry.js').then(({ createMetrics }) =>
      createMetrics(this, this.monitor, this.recovery, () => this.daemon.sessions.modelTotals()),
    );
    const registry = await this.metricsRegistry;
    return { contentType: registry.contentType, body: await registry.render() };
  }

  /** clear-connections: drop viewers that lag or are gone; healthy viewers stay. */
  private clearConnections(): Promise<string> {
    const { broadcaster } = this.daemon.listener;
    const dropped = broadcaster.dropLagging(
      Math.max(1, Math.floor(this.daemon.config.viewers.maxBacklog / 10)),
    );
    return Promise.resolve(`dropped ${dropped} lagging or stale viewer(s); ${broadcaster.viewerCount} kept`);
  }

  /** restart-service: close and reopen the listener on the same port, then prove a round trip. */
  private async restartService(): Promise<string> {
    const port = await this.daemon.listener.restart();
    const probe = await this.probe(AbortSignal.timeout(PROBE_TIMEOUT_MS * 2));
    if (!probe.ok)
      throw new Error(`listener reopened on port ${port} but the round trip failed: ${probe.detail}`);
    return `listener reopened on port ${port}; round trip in ${probe.latencyMs} ms`;
  }
}
