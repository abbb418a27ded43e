/**
 * A viewer's connection to the daemon's `/dashboard` namespace.
 *
 * Resumes by seq: every (re)connect sends the current `since` (the last seq seen) in the handshake, so a
 * reconnect has no gap and no duplicate; events at or below the last seq are dropped anyway. It does
 * its own reconnecting (exponential backoff with jitter) instead of socket.io-client's, because the
 * built-in one neither reconnects after the server called `socket.disconnect()` nor reports its delay.
 * It keeps no events itself: each batch goes straight to `onEvents`.
 */
import { io, type Socket } from 'socket.io-client';
import type { DiagnosticsResponse } from '../protocol/diagnostics.js';
import type { MonEvent } from '../protocol/event.js';
import type { HealthReport, RecoveryEntry } from '../protocol/health.js';
import {
  DASHBOARD_NAMESPACE,
  type DashboardAuth,
  type DashboardClientToServer,
  type DashboardServerToClient,
  type HelloMessage,
  type HistoryAck,
  type HistoryRequest,
  type SessionsAnswer,
  type ShutdownMessage,
} from '../protocol/messages.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { daemonUrl, type DaemonAddress } from './discover.js';
import { isTlsFailure, tlsConnectOptions, type TlsTrust } from './tls-trust.js';
import { DaemonUnreachableError } from '../errors/connection-errors.js';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; since: number }
  | {
      kind: 'reconnecting';
      attempt: number;
      inMs: number;
      retryAt: number;
      error: string | null;
      /** Set when the daemon's certificate did not verify (its error code): retrying will not help by itself. */
      tls?: string;
    }
  | { kind: 'stopped'; reason: string; restarting: boolean }
  | { kind: 'closed' };

export interface DashboardClientHandlers {
  onState?: (state: ConnectionState) => void;
  onHello?: (hello: HelloMessage) => void;
  /** Always an array, in seq order, with nothing at or below a seq already delivered. */
  onEvents?: (events: MonEvent[]) => void;
  onHealth?: (report: HealthReport) => void;
  onRecovery?: (entry: RecoveryEntry) => void;
  onShutdown?: (message: ShutdownMessage) => void;
  /** The daemon could not replay everything since the last seq seen: events in [from, to] are missing. */
  onGap?: (gap: { from: number; to: number }) => void;
}

export interface DashboardClientOptions {
  host: string;
  port: number;
  token: string;
  /** https: WSS, verified as `tls` says (never skipped). */
  scheme?: 'http' | 'https';
  tls?: TlsTrust;
  /** Resume after this seq on the first connect. */
  since?: number;
  /** On a first connect without `since`: ask for the last N stored events (otherwise live only). */
  last?: number;
  backoff?: BackoffOptions;
  /** Socket.IO connect timeout per attempt. */
  connectTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
  /**
   * Asked before each reconnect attempt: where the daemon is now (e.g. the PID file read again), so a
   * daemon that came back on another port (or with a new token) is found. Null keeps the last address.
   */
  rediscover?: () => DaemonEndpoint | null;
}

/** Where a daemon is, as discover.ts says. */
type DaemonEndpoint = Pick<DaemonAddress, 'host' | 'port' | 'token'> &
  Partial<Pick<DaemonAddress, 'scheme' | 'tls'>>;

type DashboardSocket = Socket<DashboardServerToClient, DashboardClientToServer>;

/** How long a history read may take in all, its wait behind other replays included. */
export const HISTORY_TIMEOUT_MS = 30_000;
const QUEUE_FULL_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 2000, randomizationFactor: 0.5 };

export class DashboardClient {
  private readonly socket: DashboardSocket;
  private readonly handlers: DashboardClientHandlers;
  private options: DashboardClientOptions;
  private seq: number;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private current: ConnectionState = { kind: 'connecting' };
  /** Whether the handshake in flight asked for a replay after `since`. */
  private askedSince = false;

  constructor(options: DashboardClientOptions, handlers: DashboardClientHandlers = {}) {
    this.options = options;
    this.handlers = handlers;
    this.seq = options.since ?? 0;
    this.socket = io(`${daemonUrl(options)}${DASHBOARD_NAMESPACE}`, {
      transports: ['websocket'],
      autoConnect: false,
      reconnection: false,
      forceNew: true,
      timeout: options.connectTimeoutMs ?? 5000,
      ...(options.scheme === 'https' ? tlsConnectOptions(options.tls ?? {}) : {}),
      auth: (send: (auth: DashboardAuth) => void) => send(this.handshakeAuth()),
    });
    this.listen();
  }

  /** The last seq delivered (what the next handshake sends as `since`). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Where it connects now (it follows `rediscover`). */
  get address(): { host: string; port: number } {
    return { host: this.options.host, port: this.options.port };
  }

  /** The address with how to reach it (scheme, TLS trust), for other requests to the same daemon. */
  get endpoint(): DaemonEndpoint {
    return this.options;
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): this {
    this.stopped = false;
    this.setState({ kind: 'connecting' });
    this.socket.connect();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.clearRetry();
    this.socket.disconnect();
    this.setState({ kind: 'closed' });
    this.socket.removeAllListeners();
    this.socket.io.removeAllListeners();
  }

  /**
   * Stored events from the daemon (scrolling back past the buffer, `events`). A read waits its turn
   * behind other replays (limits.maxReplays), so a busy daemon is given `timeoutMs` in all for this one
   * request (a streamed export gives each page its own); one whose queue is full says so
   * (too_many_replays) and is asked again after a short, growing pause. Not connected, or disconnected
   * while waiting, it fails at once (DaemonUnreachableError).
   */
  async history(request: HistoryRequest, timeoutMs = HISTORY_TIMEOUT_MS): Promise<MonEvent[]> {
    const deadline = Date.now() + timeoutMs;
    const { host, port } = this.options;
    for (let attempt = 0; ; attempt++) {
      // Sent only while connected: a request buffered for a reconnect would wait out the whole timeout
      // (socket.io fails the acks of sent requests at a disconnect, not those of buffered ones).
      if (!this.socket.connected) throw new DaemonUnreachableError({ reason: 'not-running', host, port });
      let answer: HistoryAck;
      try {
        // socket.io's typings give `any` for an ack behind timeout(): the map says what it is.
        answer = (await this.socket
          .timeout(Math.max(1, deadline - Date.now()))
          .emitWithAck('history', request)) as HistoryAck;
      } catch {
        // Failed at a disconnect (the daemon went away), or timed out (it did not answer).
        if (!this.socket.connected) throw new DaemonUnreachableError({ reason: 'not-running', host, port });
        throw new DaemonUnreachableError({ reason: 'hung', host, port, timeoutMs });
      }
      if (answer.ok) return answer.events;
      const pause = backoffDelay(attempt + 1, QUEUE_FULL_BACKOFF);
      if (answer.error.code !== 'too_many_replays' || Date.now() + pause >= deadline)
        throw new Error(`history refused: ${answer.error.code}: ${answer.error.message}`);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** The daemon's sessions with their transcript figures. */
  async sessions(timeoutMs = 5000): Promise<SessionsAnswer> {
    return (await this.socket.timeout(timeoutMs).emitWithAck('sessions')) as SessionsAnswer;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async diagnostics(timeoutMs = 5000): Promise<DiagnosticsResponse> {
    return (await this.socket.timeout(timeoutMs).emitWithAck('diagnostics')) as DiagnosticsResponse;
  }

  private handshakeAuth(): DashboardAuth {
    const { token, last } = this.options;
    this.askedSince = this.seq > 0 || this.options.since !== undefined;
    if (this.askedSince) return { token, since: this.seq };
    return last !== undefined && last > 0 ? { token, last } : { token };
  }

  private listen(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      this.attempt = 0;
      this.setState({ kind: 'connected', since: this.seq });
    });
    socket.on('connect_error', (error) => {
      const code = tlsCodeOf(error);
      this.scheduleReconnect(
        code ? `the daemon's certificate did not verify (${code})` : error.message,
        code,
      );
    });
    socket.on('disconnect', (reason) => {
      if (this.stopped || reason === 'io client disconnect') return;
      this.scheduleReconnect(reason);
    });
    socket.on('hello', (hello) => this.receiveHello(hello));
    socket.on('event', (event) => this.deliver([event]));
    socket.on('events', (events) => this.deliver(events));
    socket.on('health', (report) => this.handlers.onHealth?.(report));
    socket.on('recovery', (entry) => this.handlers.onRecovery?.(entry));
    socket.on('shutdown', (message) => {
      this.handlers.onShutdown?.(message);
      this.setState({ kind: 'stopped', reason: message.reason, restarting: message.restarting });
    });
  }

  private receiveHello(hello: HelloMessage): void {
    if (hello.lastSeq < this.seq) {
      // The daemon's history is older than what we saw (its journal was removed): follow its numbering.
      this.seq = hello.lastSeq;
    } else if (hello.replay) {
      if (this.seq > 0 && hello.replay.fromSeq > this.seq)
        this.handlers.onGap?.({ from: this.seq + 1, to: hello.replay.fromSeq });
      this.seq = Math.max(this.seq, hello.replay.fromSeq);
    } else if (!this.askedSince) {
      // Live only: everything up to lastSeq is behind us, so a reconnect resumes from there.
      this.seq = Math.max(this.seq, hello.lastSeq);
    }
    this.handlers.onHello?.(hello);
  }

  private deliver(incoming: MonEvent[]): void {
    if (!Array.isArray(incoming)) return;
    const fresh: MonEvent[] = [];
    for (const event of incoming) {
      if (event && typeof event.seq === 'number' && event.seq > this.seq) {
        fresh.push(event);
        this.seq = event.seq;
      }
    }
    if (fresh.length > 0) this.handlers.onEvents?.(fresh);
  }

  private scheduleReconnect(error: string | null, tls?: string): void {
    if (this.stopped || this.retryTimer) return;
    this.attempt += 1;
    const inMs = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    const now = (this.options.now ?? Date.now)();
    const failure = tls ? { tls } : {};
    this.setState({
      kind: 'reconnecting',
      attempt: this.attempt,
      inMs,
      retryAt: now + inMs,
      error,
      ...failure,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped) return;
      this.setState({
        kind: 'reconnecting',
        attempt: this.attempt,
        inMs: 0,
        retryAt: now + inMs,
        error,
        ...failure,
      });
      this.followDaemon();
      this.socket.connect();
    }, inMs);
  }

  /** Points the next connect at where `rediscover` says the daemon is now. */
  private followDaemon(): void {
    const found = this.options.rediscover?.();
    if (!found || found.port <= 0) return;
    const { scheme, host, port, token, tls } = found;
    const same = this.options;
    if (host === same.host && port === same.port && token === same.token && scheme === same.scheme) return;
    this.options = { ...this.options, scheme, host, port, token, tls };
    // socket.io-client's Manager opens its engine on `uri` (and with its opts) at each connect.
    const manager = this.socket.io as unknown as { uri: string; opts: Record<string, unknown> };
    manager.uri = daemonUrl({ scheme, host, port });
    if (scheme === 'https') Object.assign(manager.opts, tlsConnectOptions(tls ?? {}));
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.handlers.onState?.(state);
  }
}

/** The TLS error code under a socket.io connect_error (engine.io keeps the transport's error in `description`). */
function tlsCodeOf(error: Error): string | undefined {
  const described = (error as Error & { description?: unknown }).description;
  const inner =
    typeof described === 'object' && described !== null
      ? ((described as { error?: unknown }).error ?? described)
      : undefined;
  const code = typeof inner === 'object' && inner !== null ? (inner as { code?: unknown }).code : undefined;
  return typeof code === 'string' && isTlsFailure(code) ? code : undefined;
}
