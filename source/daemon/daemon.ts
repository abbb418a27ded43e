/**
 * The daemon, composed: home, logger, token, PID file, store, pipeline, listener, health, recovery.
 * Start-up order matters: the PID file is taken before anything is opened (single instance per home),
 * the store is recovered before the port opens (seqs continue), the spool is drained after.
 * Stop is the reverse, bounded in time.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { Server as NetServer } from 'node:net';
import type { Config } from '../config/schema.js';
import { homePaths, type HomePaths } from '../config/home.js';
import type { RefusalCode } from '../protocol/event.js';
import type { HealthReport } from '../protocol/health.js';
import type { ClusterInfo, HelloMessage, StatusResponse } from '../protocol/messages.js';
import type { PidFileData } from '../protocol/pidfile.js';
import { VERSION } from '../protocol/version.js';
import { Ingestor } from '../pipeline/ingest.js';
import { hostname } from 'node:os';
import { scrub, scrubString } from '../pipeline/scrub.js';
import { openJournalStore } from '../store/journal-store.js';
import { readRedisCredentials } from '../store/redis-files.js';
import { insecureListenWarning, servesTls } from '../config/tls-settings.js';
import { readTlsIdentity, type TlsIdentity } from './tls-identity.js';
import type { TlsTrust } from '../client/tls-trust.js';
import { originOf } from '../config/resolve.js';
import type { ConfigSource } from '../errors/config-error.js';
import type { EventStore } from '../store/types.js';
import { drainSpool, spoolStats } from '../store/spool.js';
import { Counters } from './counters.js';
import { Listener } from './listener.js';
import { createLogger } from '../instance/logger.js';
import { silentLogger, type Logger } from '../instance/logger-types.js';
import { secureHome } from '../instance/secure-home.js';
import { acquirePidFile, type PidFileLock } from '../instance/pidfile.js';
import { listen } from '../instance/port.js';
import { readProcessStartTime } from '../instance/process-info.js';
import { allowedHosts } from './request-guard.js';
import { hostPort } from '../client/discover.js';
import { ensureToken } from '../instance/token.js';
import { DaemonHealth } from './daemon-health.js';
import { SessionTracker } from './session-tracker.js';
import { claudeProjectsDir } from '../claude/transcript-reader.js';
import { priceTable } from '../claude/prices.js';
import { ReplayGate } from './replay-gate.js';
import { installedHttpHookPort } from '../claude/hook-port.js';

/** Logs and /diagnostics go through the event scrubber: what a producer sent may hide in both. */
function scrubbed<T>(value: T): T {
  return scrub(value).value;
}

/** How many of the newest stored events seed the dedupe window at start. */
const DEDUPE_REBUILD_EVENTS = 10_000;

/** Refusals that clear by themselves: a spooled payload stays spooled and is tried again. */
const RETRY_LATER: ReadonlySet<RefusalCode> = new Set([
  'journal_unavailable',
  'store_unavailable',
  'shutting_down',
]);

export interface DaemonOptions {
  config: Config;
  /** True when the user chose the port (flag, env, file): taken → error, never silently replaced. */
  explicitPort: boolean;
  home?: string;
  /** Readable log lines on stderr too (foreground daemon). */
  stderrLog: boolean;
  /** Where each setting came from and the config file, so that an error can say where to fix it. */
  sources?: Record<string, ConfigSource>;
  configFile?: string;
  /** Called once the daemon has stopped, with the exit code it wants (0 clean, 75 emergency). */
  onStopped?: (exitCode: number) => void;
}

export interface StopOptions {
  reason: string;
  restarting?: boolean;
  exitCode?: number;
}

export class Daemon {
  readonly paths: HomePaths;
  readonly counters = new Counters();
  readonly startedAt = new Date();
  logger!: Logger;
  token!: string;
  store!: EventStore;
  listener!: Listener;
  ingestor!: Ingestor;
  health!: DaemonHealth;
  sessions!: SessionTracker;
  private pidLock: PidFileLock | null = null;
  /** With tls.cert and tls.key: what the listener serves; null: clear text. */
  private tls: TlsIdentity | null = null;
  private stopping: Promise<void> | null = null;
  private producers = 0;
  private spoolTimer: NodeJS.Timeout | null = null;
  private draining = false;
  /** Replays served at once, across listener restarts. */
  readonly replays: ReplayGate;

  constructor(readonly options: DaemonOptions) {
    this.paths = homePaths(options.home);
    this.replays = new ReplayGate(options.config.limits);
  }

  get config(): Config {
    return this.options.config;
  }

  /** With TLS: how a client on this machine verifies this daemon (its own probes do the same). */
  get tlsTrust(): TlsTrust | undefined {
    return this.tls?.trust;
  }

  get port(): number {
    return this.listener?.port ?? 0;
  }

  async start(): Promise<void> {
    const { config } = this;
    mkdirSync(this.paths.home, { recursive: true, mode: 0o700 });
    // Refused (another user's home, a link) or tightened before any file in it is opened.
    const startupLines: Array<[string, Record<string, unknown>]> = [];
    secureHome(this.paths.home, {
      ...silentLogger,
      warn: (message, fields) => startupLines.push([message, fields ?? {}]),
    });
    this.token = await ensureToken(this.paths.tokenFile);
    this.logger = createLogger({
      file: this.paths.logFile,
      level: config.logLevel,
      stderr: this.options.stderrLog,
      redact: [this.token],
      scrub: scrubbed,
    });
    for (const [message, fields] of startupLines) this.logger.warn(message, fields);
    const { sources = {}, configFile } = this.options;
    if (servesTls(config.tls))
      this.tls = readTlsIdentity(config.tls, (key) => originOf(key, sources, configFile));
    const insecure = insecureListenWarning(config.host, config.tls);
    if (insecure) this.logger.warn(insecure, { host: config.host });
    const startTime = await readProcessStartTime(process.pid);
    const pidData: PidFileData = {
      pid: process.pid,
      port: 0,
      host: config.host,
      startedAt: this.startedAt.toISOString(),
      processStartTime: startTime,
      version: VERSION,
      nodeVersion: process.version,
      argv: process.argv.slice(1),
      scheme: this.tls ? 'https' : 'http',
      ...(this.tls ? { tlsFingerprint: this.tls.fingerprint256 } : {}),
    };
    this.pidLock = await acquirePidFile(this.paths.pidFile, pidData, this.logger);
    try {
      this.store = await this.openStore();
      this.sessions = new SessionTracker({
        root: claudeProjectsDir(),
        prices: priceTable(config.prices),
        logger: this.logger,
      });
      this.sessions.follow(this.store, Math.max(0, this.store.lastSeq - config.events.ringSize));
      this.listener = this.createListener();
      this.ingestor = new Ingestor({
        store: this.store,
        config: config.events,
        secret: this.token,
        counters: this.counters,
        logger: this.logger,
      });
      // The newest stored ids: a retry of what the last run stored but never acknowledged is a duplicate.
      await this.ingestor.rememberNewest(DEDUPE_REBUILD_EVENTS);
      this.health = new DaemonHealth(this);
      this.listener.broadcaster.follow(this.store);
      const port = await this.listener.open();
      await this.pidLock.update({ port });
      this.logger.info('daemon listening', {
        pid: process.pid,
        host: config.host,
        port,
        home: this.paths.home,
        lastSeq: this.store.lastSeq,
        tls: this.tls ? { fingerprint256: this.tls.fingerprint256, validTo: this.tls.validTo } : false,
      });
      await this.health.start();
      await this.drainSpool();
      this.spoolTimer = setInterval(() => void this.drainSpool(), 5000).unref();
    } catch (error) {
      await this.releaseAfterFailedStart();
      throw error;
    }
  }

  /** Graceful stop, bounded by shutdown.timeoutMs; a second call returns the same promise. */
  stop(options: StopOptions): Promise<void> {
    this.stopping ??= this.doStop(options);
    return this.stopping;
  }

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  hello(replayFrom: number | null): HelloMessage {
    return {
      version: VERSION,
      pid: process.pid,
      host: this.config.host,
      port: this.port,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: this.uptimeSeconds(),
      lastSeq: this.store.lastSeq,
      replay:
        replayFrom === null
          ? null
          : { fromSeq: replayFrom, count: Math.max(0, this.store.lastSeq - replayFrom) },
      health: this.health.latest(),
      cluster: this.cluster(),
      tls: this.tls !== null,
    };
  }

  status(): StatusResponse {
    return {
      status: this.health.latest().status,
      pid: process.pid,
      port: this.port,
      host: this.config.host,
      version: VERSION,
      uptimeSeconds: this.uptimeSeconds(),
      clients: { viewers: this.listener.viewers, producers: this.producers },
      events: {
        total: this.counters.ingested,
        perSecond: this.counters.perSecond(),
        lastSeq: this.store.lastSeq,
      },
      cluster: this.cluster(),
      tls: this.tls !== null,
    };
  }

  /** `nodeId`, or hostname:port once the port is known. */
  get nodeId(): string {
    return this.config.nodeId || `${hostname()}:${this.port || this.config.port}`;
  }

  cluster(): ClusterInfo {
    return {
      nodeId: this.nodeId,
      store: this.config.store.kind,
      peers: [...this.store.peerNodes],
    };
  }

  /** For a forced exit (a second signal): the PID file must not outlive the process. */
  releasePidFileSync(): void {
    try {
      this.pidLock?.releaseSync();
    } catch {
      // Exiting anyway; doctor --fix removes a stale file.
    }
    this.pidLock = null;
  }

  pidFileData(): PidFileData | null {
    return this.pidLock?.data ?? null;
  }

  get producerCount(): number {
    return this.producers;
  }

  uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt.getTime()) / 1000);
  }

  async spoolFigures(): Promise<{ files: number; bytes: number }> {
    const stats = await spoolStats(this.paths.spoolDir);
    return { files: stats.files, bytes: stats.bytes };
  }

  /** Hands every spooled payload (hooks that ran while the daemon was down) to the pipeline, in order. */
  async drainSpool(): Promise<void> {
    if (this.draining || this.isStopping) return;
    this.draining = true;
    clearStallMark(this.paths.stallMark);
    try {
      const result = await drainSpool(
        this.paths.spoolDir,
        async (payload, _entry, provenance) => {
          const answer = await this.ingestor.ingestOne(payload, 'spool', 'spool', provenance);
          if (answer.ok) return 'ok';
          return RETRY_LATER.has(answer.error.code) ? 'retry' : 'reject';
        },
        { logger: this.logger, scrub: (text) => scrubString(text).value },
      );
      if (result.remaining > 0)
        this.logger.warn('spool drain paused; will retry', { remaining: result.remaining });
    } catch (error) {
      this.logger.error('spool drain failed', { error: String(error) });
    } finally {
      this.draining = false;
    }
  }

  private async openStore(): Promise<EventStore> {
    const { config } = this;
    if (config.store.kind === 'redis') {
      const { sources = {}, configFile } = this.options;
      const { url, prefix, maxLen } = config.store.redis;
      // Loaded only here: the Redis client is the largest module a journal daemon would carry idle.
      const { RedisStore } = await import('../store/redis-store.js');
      return RedisStore.open({
        url,
        prefix,
        maxLen,
        credentials: readRedisCredentials(config.store.redis, (key) => originOf(key, sources, configFile)),
        dedupeTtlMs: config.events.dedupeWindowMs,
        logger: this.logger,
        describeNode: () => ({
          nodeId: this.nodeId,
          pid: process.pid,
          host: config.host,
          port: this.port,
          version: VERSION,
          startedAt: this.startedAt.toISOString(),
        }),
      });
    }
    return openJournalStore({
      dir: this.paths.journalDir,
      ringSize: config.events.ringSize,
      segmentBytes: config.journal.segmentBytes,
      maxBytes: config.journal.maxBytes,
      logger: this.logger,
    });
  }

  private createListener(): Listener {
    const { config } = this;
    // The certificate's names are this daemon's own: a client on another machine sends one as its Host.
    const names = this.tls?.names ?? [];
    const hosts = (): Set<string> =>
      allowedHosts(config.host, this.port, [
        ...config.allowedHosts,
        ...names.map((name) => hostPort(name, this.port)),
      ]);
    const onRefused = (code: Parameters<Counters['refused']>[0], message: string, source: string): void => {
      this.counters.refused(code, message, source);
      this.logger.debug('refused', { code, message, source });
    };
    return new Listener({
      bind: (server: NetServer) => this.bind(server),
      ...(this.tls ? { tls: this.tls.context } : {}),
      limits: config.limits,
      onLoadRefused: (code, message) => onRefused(code, message, 'tcp'),
      broadcaster: {
        batchMs: config.viewers.batchMs,
        maxBacklog: config.viewers.maxBacklog,
        logger: this.logger,
      },
      routes: {
        token: this.token,
        allowedHosts: hosts,
        maxBodyBytes: config.events.maxRequestBytes,
        health: () => this.health.latest(),
        status: () => this.status(),
        diagnostics: () => this.health.diagnostics().then(scrubbed),
        metrics: () => this.health.metrics(),
        sessions: () => this.sessions.answer(),
        ingestBody: (body, producer, source, provenance) =>
          this.ingestor.ingestBody(body, producer, source, provenance),
        onRefused,
        logger: this.logger,
      },
      sockets: {
        token: this.token,
        maxEventBytes: config.events.maxRequestBytes,
        allowedHosts: hosts,
        limits: config.limits,
        replays: this.replays,
        ingestOne: (payload, producer) => this.ingestor.ingestOne(payload, producer, 'socket'),
        store: this.store,
        hello: (replayFrom) => this.hello(replayFrom),
        latestHealth: (): HealthReport | null => this.health.latest(),
        diagnostics: () => this.health.diagnostics().then(scrubbed),
        sessions: () => this.sessions.answer(),
        onRefused,
        onProducersChanged: (count) => (this.producers = count),
        logger: this.logger,
      },
    });
  }

  /**
   * The configured port; but with http hooks installed for port P (and no port chosen), exactly P: Claude
   * Code posts the token there whatever we do, so taking another port would leave it to whoever holds P.
   */
  private async bind(server: NetServer): Promise<number> {
    const { config } = this;
    const hooked = installedHttpHookPort();
    if (hooked !== null && this.options.explicitPort && hooked !== config.port)
      this.logger.warn(
        'the installed http hooks post to another port than this daemon listens on: run `mpm-mon install-hooks --http` again',
        { hooksPort: hooked, port: config.port },
      );
    const pinned = hooked !== null && !this.options.explicitPort;
    if (pinned)
      this.logger.info('http hooks are installed for this port; listening there or nowhere', {
        port: hooked,
      });
    try {
      return await listen(
        server,
        {
          host: config.host,
          port: pinned ? hooked : config.port,
          explicit: pinned || this.options.explicitPort,
          range: config.portRange,
        },
        this.logger,
      );
    } catch (error) {
      if (pinned)
        this.logger.error(
          'the http hooks of Claude Code post to a port another program holds: stop it, or run `mpm-mon install-hooks --http` with another --port',
          { port: hooked },
        );
      throw error;
    }
  }

  private async doStop({ reason, restarting = false, exitCode = 0 }: StopOptions): Promise<void> {
    const budget = this.config.shutdown.timeoutMs;
    const started = Date.now();
    this.logger.info('daemon stopping', { reason, restarting });
    const graceful = (async () => {
      if (this.spoolTimer) clearInterval(this.spoolTimer);
      this.health?.stop();
      this.ingestor?.refuseNew();
      this.listener?.announceShutdown(reason, restarting);
      await this.ingestor?.settled();
      await this.sessions?.stop();
      await this.listener?.close(Math.min(1000, budget / 4));
      this.listener?.broadcaster.unfollow();
      await this.store?.close();
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), budget))),
    ]).catch((error: unknown) => {
      this.logger.error('error while stopping', { error: String(error) });
      return false;
    });
    clearTimeout(timer);
    if (timedOut) this.logger.warn('graceful stop timed out; forcing', { budgetMs: budget });
    await this.pidLock?.release();
    this.pidLock = null;
    this.logger.info('daemon stopped', { reason, exitCode, durationMs: Date.now() - started });
    this.options.onStopped?.(exitCode);
  }

  private async releaseAfterFailedStart(): Promise<void> {
    try {
      await this.listener?.close(0);
      this.listener?.broadcaster.unfollow();
      await this.store?.close();
    } catch {
      // The start-up error is what the user needs to see.
    }
    await this.pidLock?.release();
    this.pidLock = null;
  }
}

/** Running again: the hooks may post instead of spooling (hook/stall-backoff.ts). */
function clearStallMark(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Not a file we wrote (a folder put there): the hooks read it as no mark.
  }
}
