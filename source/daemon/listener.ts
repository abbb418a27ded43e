/**
 * The daemon's one port. A plain TCP server holds it for the daemon's whole life and hands every
 * accepted socket (within the connection limits) to the current generation: an HTTP server with
 * Socket.IO on it. Recovery's restart-service replaces the generation in-process — every connection
 * is closed, HTTP and Socket.IO start fresh — while the port stays bound: there is no moment in which
 * another local user could take it and receive a hook's token.
 *
 * With a TLS identity every accepted socket is wrapped in TLS before HTTP sees it, so the one port
 * serves HTTPS and WSS only: a clear-text request fails its handshake and is closed.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import {
  createServer as createNetServer,
  type Server as NetServer,
  type Socket as NetSocket,
} from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { DaemonServer as Server } from './socket-types.js';
import type { HealthReport, RecoveryEntry } from '../protocol/health.js';

/** What the daemon tells every viewer besides the events. */
export type ViewerNotice =
  { name: 'health'; report: HealthReport } | { name: 'recovery'; entry: RecoveryEntry };
import { DASHBOARD_NAMESPACE } from '../protocol/messages.js';
import { Broadcaster, type BroadcasterOptions } from './broadcaster.js';
import { ConnectionGuard, type ConnectionLimits, type LoadRefusal } from './connection-guard.js';
import { createRequestHandler, type RouteDeps } from './http-routes.js';
import { createSocketServer, type SocketDeps } from './socket-server.js';

export interface ListenerDeps {
  routes: RouteDeps;
  sockets: SocketDeps;
  broadcaster: BroadcasterOptions;
  limits: ConnectionLimits;
  onLoadRefused: LoadRefusal;
  /** Binds the TCP server once and returns the port (the configured choice, fallback range, conflict errors). */
  bind: (server: NetServer) => Promise<number>;
  /** With it, HTTPS and WSS only. */
  tls?: SecureContext;
}

interface Generation {
  http: HttpServer;
  io: Server;
}

export class Listener {
  private front: NetServer | null = null;
  private current: Generation | null = null;
  private readonly guard: ConnectionGuard;
  /** The accepted TCP socket under each TLS socket (the guard counts and times the TCP one). */
  private readonly tcpOf = new WeakMap<object, NetSocket>();
  readonly broadcaster: Broadcaster;
  port = 0;

  constructor(private readonly deps: ListenerDeps) {
    this.broadcaster = new Broadcaster(deps.broadcaster);
    this.guard = new ConnectionGuard(deps.limits, deps.onLoadRefused);
  }

  get viewers(): number {
    return this.broadcaster.viewerCount;
  }

  /** TCP connections held now, and how many of them have not sent a request yet. */
  connectionFigures(): { connections: number; pending: number } {
    return { connections: this.guard.connections, pending: this.guard.pendingConnections };
  }

  async open(): Promise<number> {
    const front = createNetServer({ pauseOnConnect: false }, (socket) => this.hand(socket));
    this.current = this.createGeneration();
    this.port = await this.deps.bind(front);
    this.front = front;
    return this.port;
  }

  /** Stops accepting; viewers and producers are disconnected; in-flight HTTP requests get `graceMs`. */
  async close(graceMs = 1000): Promise<void> {
    const front = this.front;
    this.front = null;
    front?.close();
    await this.closeGeneration(graceMs);
  }

  /** Sends what is batched, then tells every viewer why the daemon goes away. */
  announceShutdown(reason: string, restarting: boolean): void {
    this.broadcaster.flush();
    this.current?.io.of(DASHBOARD_NAMESPACE).emit('shutdown', { reason, restarting });
  }

  emitToViewers(message: ViewerNotice): void {
    const viewers = this.current?.io.of(DASHBOARD_NAMESPACE);
    if (message.name === 'health') viewers?.emit('health', message.report);
    else viewers?.emit('recovery', message.entry);
  }

  /**
   * Replaces HTTP and Socket.IO in-process; the port stays bound throughout (connections arriving
   * meanwhile are closed and retried by their clients). Viewers reconnect and replay from their last seq.
   */
  async restart(): Promise<number> {
    await this.closeGeneration(250);
    this.current = this.createGeneration();
    return this.port;
  }

  private hand(socket: NetSocket): void {
    const generation = this.current;
    if (!generation) {
      socket.destroy();
      return;
    }
    if (!this.guard.accept(socket)) return;
    const secure = this.deps.tls;
    if (!secure) {
      generation.http.emit('connection', socket);
      return;
    }
    const wrapped = new TLSSocket(socket, { isServer: true, secureContext: secure });
    this.tcpOf.set(wrapped, socket);
    // A failed handshake (clear text, a client that refused our certificate) ends the TCP socket too.
    wrapped.once('error', () => socket.destroy());
    generation.http.emit('connection', wrapped);
  }

  private settle(socket: NetSocket): void {
    this.guard.settle(this.tcpOf.get(socket) ?? socket);
  }

  private createGeneration(): Generation {
    const http = createHttpServer(
      { keepAliveTimeout: 5000, requestTimeout: 30_000, headersTimeout: 10_000 },
      createRequestHandler(this.deps.routes),
    );
    // A complete request or upgrade ends the handshake deadline; Socket.IO's connectTimeout and the
    // HTTP timeouts govern the socket from there.
    http.prependListener('request', (request) => this.settle(request.socket));
    http.prependListener('upgrade', (request) => this.settle(request.socket));
    // The HTTP server never listens itself (the front server does): 'listening' starts its
    // connection tracking, which enforces headersTimeout/requestTimeout and closeIdleConnections.
    http.emit('listening');
    const io = createSocketServer(http, this.deps.sockets, () => this.broadcaster);
    this.broadcaster.rebind(io.of(DASHBOARD_NAMESPACE));
    return { http, io };
  }

  private async closeGeneration(graceMs: number): Promise<void> {
    const generation = this.current;
    this.current = null;
    this.broadcaster.stop();
    if (!generation) return;
    generation.http.closeIdleConnections();
    // io.close() discards what engine.io still holds for a client: acks of events already journaled
    // among it. Let those go out first (bounded by half the grace).
    await writeBuffersDrained(generation.io, graceMs / 2);
    await generation.io.close();
    // Destroying a socket drops what it has not written yet and, with unread input, resets the
    // connection: let each finish its WebSocket close handshake or HTTP response first.
    await pollUntil(
      () => this.guard.connections === 0,
      graceMs,
      () => generation.http.closeIdleConnections(),
    );
    this.guard.destroyAll();
  }
}

/** Resolves once no engine.io client holds unwritten packets, or after `limitMs`. */
function writeBuffersDrained(io: Server, limitMs: number): Promise<void> {
  const engine = io.engine as unknown as { clients: Record<string, { writeBuffer?: unknown[] }> };
  const busy = (): boolean =>
    Object.values(engine.clients).some((client) => (client.writeBuffer?.length ?? 0) > 0);
  return pollUntil(() => !busy(), limitMs);
}

/** Resolves once `done()` holds, or after `limitMs`; `meanwhile` runs before each look. */
async function pollUntil(done: () => boolean, limitMs: number, meanwhile?: () => void): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    meanwhile?.();
    if (done() || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
