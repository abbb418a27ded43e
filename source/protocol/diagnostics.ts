/**
 * GET /diagnostics and the `/dashboard` `diagnostics` ack: everything the daemon knows about itself,
 * with secrets masked. The daemon builds exactly this; doctor and the TUI read exactly this.
 */
import type { RefusalCode } from './event.js';
import type { BreakerSnapshot, CheckHistory, HealthReport, RecoveryEntry } from './health.js';
import type { ClusterInfo, StatusResponse } from './messages.js';
import type { PidFileData } from './pidfile.js';

/** A JSON value (the masked configuration is one). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What clients make the daemon hold now, to tell their load from the daemon's own. */
export interface ClientLoad {
  /** TCP connections held now, and those that have not sent a request yet. */
  connections: number;
  pendingConnections: number;
  maxConnections: number;
  /** Replays (since/last, history) running and waiting now, and started since the daemon started. */
  replaysActive: number;
  replaysQueued: number;
  replaysStarted: number;
  /** The most replays that ever ran at once. */
  replaysPeak: number;
}

/** The store's figures (for /diagnostics, /metrics and health). */
export interface StoreStats {
  /** `journal` or `redis` (store.kind). */
  kind: string;
  lastSeq: number;
  /** Lowest seq still retained (0 when empty). */
  firstSeq: number;
  segments: number;
  bytes: number;
  /** Lines skipped at recovery because they did not parse (torn or corrupt). */
  corruptLines: number;
  /** Write failures since start. */
  writeErrors: number;
  /** False after a failed write until a later write succeeds. */
  writable: boolean;
}

/** One connected viewer. */
export interface ViewerInfo {
  id: string;
  address: string;
  connectedAt: string;
  sentSeq: number;
  backlog: number;
  live: boolean;
  delivered: number;
}

export interface RecentRefusal {
  at: string;
  code: RefusalCode;
  message: string;
  source: string;
}

/** What the transcript reader did since start. */
export interface ReaderStats {
  refreshes: number;
  chunks: number;
  bytesRead: number;
  restarts: number;
  refused: number;
  failures: number;
  lastRefreshMs: number;
  maxRefreshMs: number;
}

export interface SessionsDiagnostics {
  sessions: number;
  queued: number;
  /** Claude Code's projects folder, the only place transcripts are read from. */
  root: string;
  readBytes: number;
  files: number;
  /** Transcript files per status (`reading`, `missing`, …). */
  byStatus: Record<string, number>;
  reader: ReaderStats;
}

export interface DiagnosticsResponse {
  generatedAt: string;
  version: string;
  node: string;
  platform: string;
  home: string;
  /** The resolved configuration, every secret-named value replaced by `[masked]`. */
  config: JsonValue;
  pidFile: { path: string } & Partial<PidFileData>;
  status: StatusResponse;
  health: HealthReport;
  history: Record<string, CheckHistory>;
  recovery: { log: RecoveryEntry[]; breaker: BreakerSnapshot; degraded: boolean };
  viewers: ViewerInfo[];
  producers: number;
  cluster: ClusterInfo;
  load: ClientLoad;
  journal: StoreStats;
  spool: { files: number; bytes: number };
  refusals: { byReason: Partial<Record<RefusalCode, number>>; recent: RecentRefusal[] };
  sessions: SessionsDiagnostics;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one check at the wire: a body read over HTTP is a DiagnosticsResponse when it has the parts
 * readers use (the health report, the recovery log and breaker, the status); not one otherwise
 * (another program on the port, an older daemon).
 */
export function isDiagnostics(body: unknown): body is DiagnosticsResponse {
  if (!isRecord(body) || typeof body.version !== 'string') return false;
  const { health, recovery, status } = body;
  return (
    isRecord(health) &&
    isRecord(health.checks) &&
    typeof health.status === 'string' &&
    isRecord(recovery) &&
    Array.isArray(recovery.log) &&
    isRecord(recovery.breaker) &&
    isRecord(status) &&
    typeof status.pid === 'number'
  );
}
