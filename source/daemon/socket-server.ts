/**
 * Socket.IO on the daemon's HTTP server: `/ingest` for producers, `/dashboard` for viewers.
 * Settings fit a local daemon: websocket first, no perMessageDeflate (10–18× CPU per delivery),
 * a transport buffer well above events.maxRequestBytes so an oversized event gets an error ack
 * (`too_large`) instead of a closed connection, and heartbeats short enough to notice a dead viewer
 * within seconds.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Config } from '../config/schema.js';
import type { IngestAck, RefusalCode } from '../protocol/event.js';
import type { DiagnosticsResponse } from '../protocol/diagnostics.js';
import type { HealthReport } from '../protocol/health.js';
import {
  DASHBOARD_NAMESPACE,
  INGEST_NAMESPACE,
  type HelloMessage,
  type HistoryAck,
  type HistoryRequest,
  type SessionsAnswer,
} from '../protocol/messages.js';
import type { EventStore } from '../store/types.js';
import { eventMatcher } from '../protocol/event-filter.js';
import type { Broadcaster, TailSource } from './broadcaster.js';
import type { Logger } from '../instance/logger-types.js';
import { ProducerIdentities } from './producer-identity.js';
import type { ReplayGate } from './replay-gate.js';
import { checkHost, checkOrigin, checkToken } from './request-guard.js';
import type { DaemonServer, DaemonSocket } from './socket-types.js';
import { type EncodedJson, jsonArray, useEncodedJson } from './wire-encoder.js';

export interface SocketDeps {
  token: string;
  /** events.maxRequestBytes: the pipeline refuses above it; the transport lets twice that through. */
  maxEventBytes: number;
  allowedHosts: () => Set<string>;
  limits: Pick<Config['limits'], 'handshakeTimeoutMs' | 'producersPerAddress'>;
  /** Shared by every listener generation: replays and history reads served at once. */
  replays: ReplayGate;
  ingestOne: (payload: unknown, producer: string) => Promise<IngestAck>;
  store: TailSource & Pick<EventStore, 'readBeforeJson'>;
  hello: (replayFrom: number | null) => HelloMessage;
  latestHealth: () => HealthReport | null;
  diagnostics: () => Promise<DiagnosticsResponse>;
  sessions: () => SessionsAnswer;
  onRefused: (code: RefusalCode, message: string, source: string) => void;
  onProducersChanged: (count: number) => void;
  logger: Logger;
}

const HISTORY_LIMIT_MAX = 5000;

/** A HistoryAck as the daemon sends it: the page's events already JSON (the journal's lines). */
type WireHistoryAck = Exclude<HistoryAck, { ok: true }> | { ok: true; events: EncodedJson };

/** The ack a client sent with its message, if it sent a function. */
function isAck<T>(ack: unknown): ack is (answer: T) => void {
  return typeof ack === 'function';
}

/** The handshake's `auth` object as the client sent it: any of its fields may be missing or wrong. */
function authOf(socket: DaemonSocket): Record<string, unknown> {
  const auth: unknown = socket.handshake.auth;
  return typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : {};
}

export function createSocketServer(
  http: HttpServer,
  deps: SocketDeps,
  getBroadcaster: () => Broadcaster,
): DaemonServer {
  const io: DaemonServer = new Server(http, {
    transports: ['websocket', 'polling'],
    perMessageDeflate: false,
    httpCompression: false,
    maxHttpBufferSize: transportLimit(deps.maxEventBytes),
    pingInterval: 5000,
    pingTimeout: 5000,
    // A connection that joins no namespace (no token, or only `/`) is closed after this.
    connectTimeout: deps.limits.handshakeTimeoutMs,
    serveClient: false,
    cors: undefined,
    allowRequest: (request, callback) => {
      const refusal = checkOrigin(request.headers) ?? checkHost(request.headers.host, deps.allowedHosts());
      if (refusal) {
        deps.onRefused(refusal.code, refusal.message, 'socket.io handshake');
        callback(refusal.message, false);
        return;
      }
      callback(null, true);
    },
  });
  useEncodedJson(io);

  /** Refuses the namespace and closes the connection under it (once the refusal is written). */
  const refuse = (
    socket: DaemonSocket,
    next: (error?: Error) => void,
    refusal: { code: RefusalCode; message: string },
  ): void => {
    deps.onRefused(refusal.code, refusal.message, `socket.io ${socket.nsp.name}`);
    const error = new Error(refusal.message) as Error & { data?: unknown };
    error.data = { code: refusal.code };
    next(error);
    // Socket.IO queues the refusal after this middleware returns: close once it is queued, and
    // engine.io's close then waits for it to be written (closing at once lost it: no connect_error).
    setImmediate(() => socket.conn.close());
  };

  const authenticate = (socket: DaemonSocket, next: (error?: Error) => void): void => {
    const refusal = checkToken(authOf(socket).token, deps.token);
    if (!refusal) return next();
    refuse(socket, next, refusal);
  };

  // The main namespace serves nothing; a client there would otherwise stay connected without a token.
  io.of('/').use((socket, next) =>
    refuse(socket, next, {
      code: 'forbidden_namespace',
      message: `the "/" namespace serves nothing: connect to ${INGEST_NAMESPACE} or ${DASHBOARD_NAMESPACE}`,
    }),
  );

  const identities = new ProducerIdentities(deps.limits.producersPerAddress);
  const ingest = io.of(INGEST_NAMESPACE);
  ingest.use(authenticate);
  ingest.on('connection', (socket) => {
    const producer = identities.identity(socket.conn.remoteAddress, authOf(socket).producer);
    deps.onProducersChanged(ingest.sockets.size);
    socket.on('disconnect', () => deps.onProducersChanged(ingest.sockets.size));
    socket.on('event', (payload, ack) => {
      void deps.ingestOne(payload, producer).then((answer) => {
        if (isAck<IngestAck>(ack)) ack(answer);
      });
    });
  });

  const dashboard = io.of(DASHBOARD_NAMESPACE);
  dashboard.use(authenticate);
  dashboard.on('connection', (socket) => {
    if (authOf(socket).probe === true) {
      // The daemon's own health probe: a round trip through the front door, not a viewer. It skips
      // the replay queue (client replays must not make the daemon look broken), so it reads one event.
      socket.on('history', (_request, ack) => {
        if (isAck<WireHistoryAck>(ack)) void history(deps, { limit: 1 }).then(ack);
      });
      return;
    }
    const since = replayStart(authOf(socket), deps.store.lastSeq);
    socket.emit('hello', deps.hello(since));
    const health = deps.latestHealth();
    if (health) socket.emit('health', health);
    socket.on('history', (request, ack) => {
      if (!isAck<WireHistoryAck>(ack)) return;
      void deps.replays
        .run(() => history(deps, request))
        .then((answer) => {
          if (answer) return ack(answer);
          const message = 'too many replays and history reads waiting; retry shortly';
          deps.onRefused('too_many_replays', message, 'socket.io history');
          ack({ ok: false, error: { code: 'too_many_replays', message } });
        });
    });
    socket.on('diagnostics', (ack) => {
      if (isAck<DiagnosticsResponse>(ack)) void deps.diagnostics().then(ack);
    });
    socket.on('sessions', (ack) => {
      if (isAck<SessionsAnswer>(ack)) ack(deps.sessions());
    });
    if (since === null || since >= deps.store.lastSeq) {
      void getBroadcaster().attach(socket, since, deps.store);
      return;
    }
    void deps.replays
      .run(async () => {
        // It may have gone while it waited: attaching it now would register a viewer nobody removes.
        if (socket.connected) await getBroadcaster().attach(socket, since, deps.store);
        return true;
      })
      .then((ran) => {
        if (ran) return;
        deps.onRefused(
          'too_many_replays',
          'too many replays waiting; the viewer was disconnected',
          'socket.io /dashboard',
        );
        socket.disconnect(true);
      });
  });
  return io;
}

/**
 * Socket.IO closes a connection whose message passes this, so it sits far above the pipeline's limit:
 * a producer sending up to twice events.maxRequestBytes gets an error ack it can act on.
 */
export function transportLimit(maxRequestBytes: number): number {
  return 2 * maxRequestBytes + 64 * 1024;
}

/** `auth.since` wins; else `auth.last: N` → the last N stored; else live only (null). */
export function replayStart(auth: { since?: unknown; last?: unknown }, lastSeq: number): number | null {
  const since = Number(auth.since);
  if (auth.since !== undefined && auth.since !== null && Number.isInteger(since) && since >= 0)
    return Math.min(since, lastSeq);
  const last = Number(auth.last);
  if (auth.last !== undefined && auth.last !== null && Number.isInteger(last) && last >= 0)
    return Math.max(0, lastSeq - last);
  return null;
}

async function history(deps: SocketDeps, untrusted: unknown): Promise<WireHistoryAck> {
  const request: Partial<Record<keyof HistoryRequest, unknown>> =
    typeof untrusted === 'object' && untrusted !== null ? untrusted : {};
  const limit = Number(request.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_LIMIT_MAX) {
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: `"limit" must be an integer from 1 to ${HISTORY_LIMIT_MAX}`,
      },
    };
  }
  const before = request.before === undefined ? deps.store.lastSeq + 1 : Number(request.before);
  if (!Number.isInteger(before) || before < 1) {
    return {
      ok: false,
      error: { code: 'invalid_request', message: '"before" must be a positive integer seq' },
    };
  }
  // Optional (older clients never send it): a seq floor, so a client can read ascending windows.
  const after = request.after === undefined ? 0 : request.after;
  if (typeof after !== 'number' || !Number.isInteger(after) || after < 0) {
    return {
      ok: false,
      error: { code: 'invalid_request', message: '"after" must be an integer seq >= 0' },
    };
  }
  // `after` goes to the store apart: a read bounded by seqs alone can pass verified lines on unparsed.
  const filter = eventMatcher({
    sessionId: text(request.sessionId),
    type: text(request.type),
    sinceTime: text(request.sinceTime),
    untilTime: text(request.untilTime),
  });
  try {
    const page = await deps.store.readBeforeJson(before, limit, filter, after);
    return { ok: true, events: jsonArray(page.map((event) => event.json)) };
  } catch (error) {
    deps.logger.error('history read failed', { error: String(error) });
    return {
      ok: false,
      error: { code: 'journal_unavailable', message: 'the journal could not be read; see the daemon log' },
    };
  }
}

/** A request's string field, or undefined for anything else (the request comes from the network). */
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
