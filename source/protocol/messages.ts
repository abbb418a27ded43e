/** Socket.IO namespaces and messages (DESIGN.md §1 "Socket.IO"). */
import type { DiagnosticsResponse } from './diagnostics.js';
import type { IngestAck, MonEvent } from './event.js';
import type { EventFilter } from './event-filter.js';
import type { HealthReport, RecoveryEntry } from './health.js';
import type { Session, ToolStat } from './session.js';

export const INGEST_NAMESPACE = '/ingest';
export const DASHBOARD_NAMESPACE = '/dashboard';

/** First message a viewer receives. */
export interface HelloMessage {
  version: string;
  pid: number;
  host: string;
  port: number;
  startedAt: string;
  uptimeSeconds: number;
  /** Highest seq stored when the viewer connected. */
  lastSeq: number;
  /** What the replay that follows covers: events with seq in (fromSeq, lastSeq]. */
  replay: { fromSeq: number; count: number } | null;
  /** Whether the daemon serves HTTPS/WSS (tls.cert, tls.key). */
  tls?: boolean;
  health: HealthReport | null;
  /** Which daemon this is, and the others sharing its store. */
  cluster?: ClusterInfo;
}

/** A daemon of a cluster, as its heartbeat in the shared store describes it. */
export interface ClusterNode {
  nodeId: string;
  pid: number;
  host: string;
  port: number;
  version: string;
  startedAt: string;
  seenAt: string;
}

export interface ClusterInfo {
  nodeId: string;
  /** `journal` (alone) or `redis` (shared with `peers`). */
  store: string;
  /** The other daemons with a fresh heartbeat (empty for the embedded journal). */
  peers: ClusterNode[];
}

export interface ShutdownMessage {
  reason: string;
  restarting: boolean;
}

/** Handshake `auth` of a dashboard viewer. */
export interface DashboardAuth {
  token: string;
  since?: number;
  last?: number;
}

/** The newest `limit` stored events with seq < before that pass the filter (see event-filter.ts). */
export interface HistoryRequest extends Omit<EventFilter, 'before'> {
  before?: number;
  limit: number;
}

export type HistoryAck =
  { ok: true; events: MonEvent[] } | { ok: false; error: { code: string; message: string } };

/** The daemon's sessions (`/dashboard` request `sessions`, GET /sessions): the order of the Sessions view. */
export interface SessionsAnswer {
  generatedAt: string;
  /** The date of the built-in price table `costUsd` comes from. */
  pricesAsOf: string;
  sessions: Session[];
  /** Per tool across every session. */
  tools: ToolStat[];
}

export interface DashboardServerToClient {
  hello: (hello: HelloMessage) => void;
  event: (event: MonEvent) => void;
  events: (events: MonEvent[]) => void;
  health: (report: HealthReport) => void;
  recovery: (entry: RecoveryEntry) => void;
  shutdown: (message: ShutdownMessage) => void;
}

export interface DashboardClientToServer {
  history: (request: HistoryRequest, ack: (answer: HistoryAck) => void) => void;
  diagnostics: (ack: (answer: DiagnosticsResponse) => void) => void;
  sessions: (ack: (answer: SessionsAnswer) => void) => void;
}

/**
 * What the daemon listens for, on either namespace (their names do not overlap). Every argument comes
 * from the network, so the daemon takes it as unknown and checks it: a request may be anything, an
 * ack may be missing. The client-side maps above say what a well-behaved client sends.
 */
export interface DaemonListens {
  event: (payload: unknown, ack?: unknown) => void;
  history: (request: unknown, ack?: unknown) => void;
  diagnostics: (ack?: unknown) => void;
  sessions: (ack?: unknown) => void;
}

export interface IngestClientToServer {
  event: (payload: unknown, ack?: (answer: IngestAck) => void) => void;
}

/** GET /status body. */
export interface StatusResponse {
  status: 'pass' | 'warn' | 'fail';
  pid: number;
  port: number;
  host: string;
  version: string;
  uptimeSeconds: number;
  clients: { viewers: number; producers: number };
  events: { total: number; perSecond: number; lastSeq: number };
  cluster?: ClusterInfo;
  /** Whether the daemon serves HTTPS/WSS (tls.cert, tls.key). */
  tls?: boolean;
}
