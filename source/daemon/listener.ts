/**
 * The daemon's one port: an HTTP server with Socket.IO on it. Kept apart from the rest of the daemon
 * so that recovery can close and reopen it in-process (restart-service) on the same port, while the
 * store, the pipeline and the health monitor live on.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { Server } from 'socket.io';
import { DASHBOARD_NAMESPACE } from '../protocol/messages.js';
import { Broadcaster, type BroadcasterOptions } from './broadcaster.js';
import { createRequestHandler, type RouteDeps } from './http-routes.js';
import { createSocketServer, type SocketDeps } from './socket-server.js';

export interface ListenerDeps {
  routes: RouteDeps;
  sockets: SocketDeps;
  broadcaster: BroadcasterOptions;
  /**
   * Binds the HTTP server and returns the port: the configured choice (fallback range, conflict
   * errors) or, on a restart, `samePort`.
   */
  bind: (server: HttpServer, samePort?: number) => Promise<number>;
}

export class Listener {
  private http: HttpServer | null = null;
  private io: Server | null = null;
  private readonly connections = new Set<NetSocket>();
  readonly broadcaster: Broadcaster;
  port = 0;

  constructor(private readonly deps: ListenerDeps) {
    this.broadcaster = new Broadcaster(deps.broadcaster);
  }

  get viewers(): number {
    return this.broadcaster.viewerCount;
  }

  async open(samePort?: number): Promise<number> {
    const http = createServer(
      { keepAliveTimeout: 5000, requestTimeout: 30_000 },
      createRequestHandler(this.deps.routes),
    );
    http.on('connection', (socket: NetSocket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
    const io = createSocketServer(http, this.deps.sockets, () => this.broadcaster);
    this.broadcaster.rebind(io.of(DASHBOARD_NAMESPACE));
    this.port = await this.deps.bind(http, samePort);
    this.http = http;
    this.io = io;
    return this.port;
  }

  /** Stops accepting; viewers and producers are disconnected; in-flight HTTP requests get `graceMs`. */
  async close(graceMs = 1000): Promise<void> {
    const { io, http } = this;
    this.io = null;
    this.http = null;
    this.broadcaster.stop();
    if (!io || !http) return;
    http.closeIdleConnections();
    const closed = io.close();
    const timer = setTimeout(() => {
      for (const socket of this.connections) socket.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
  }

  /** Sends what is batched, then tells every viewer why the daemon goes away. */
  announceShutdown(reason: string, restarting: boolean): void {
    this.broadcaster.flush();
    this.io?.of(DASHBOARD_NAMESPACE).emit('shutdown', { reason, restarting });
  }

  emitToViewers(name: 'health' | 'recovery', payload: unknown): void {
    this.io?.of(DASHBOARD_NAMESPACE).emit(name, payload);
  }

  /** Closes and reopens the port in-process; viewers reconnect and replay from their last seq. */
  async restart(): Promise<number> {
    const port = this.port;
    await this.close();
    return this.open(port);
  }
}
