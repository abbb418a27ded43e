/**
 * What TCP connections clients may hold. Every accepted socket is counted; past `maxConnections` a new
 * one is closed at once. A socket is pending until it sends a complete request or upgrade: it has
 * `handshakeTimeoutMs` to do so, and past `maxPendingConnections` the oldest pending one is closed to
 * make room (so idle sockets cannot lock a real viewer out; they only evict each other). After its
 * first request a socket is governed by the HTTP server's keep-alive and request timeouts, and a
 * Socket.IO connection by its namespace handshake (token, `connectTimeout`).
 */
import type { Socket as NetSocket } from 'node:net';
import type { RefusalCode } from '../protocol/event.js';

export interface ConnectionLimits {
  maxConnections: number;
  maxPendingConnections: number;
  handshakeTimeoutMs: number;
}

export type LoadRefusal = (
  code: Extract<RefusalCode, 'too_many_connections' | 'handshake_timeout'>,
  message: string,
) => void;

export class ConnectionGuard {
  private readonly open = new Set<NetSocket>();
  /** Insertion order is age order: the first entry is the oldest pending socket. */
  private readonly pending = new Map<NetSocket, NodeJS.Timeout>();

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly refuse: LoadRefusal,
  ) {}

  get connections(): number {
    return this.open.size;
  }

  get pendingConnections(): number {
    return this.pending.size;
  }

  /** Every socket the server accepted; false when it was closed at once. */
  accept(socket: NetSocket): boolean {
    if (this.open.size >= this.limits.maxConnections) {
      socket.destroy();
      this.refuse(
        'too_many_connections',
        `connection closed at accept: ${this.open.size} open, limits.maxConnections is ${this.limits.maxConnections}`,
      );
      return false;
    }
    this.open.add(socket);
    socket.once('close', () => {
      this.open.delete(socket);
      this.settle(socket);
    });
    if (this.pending.size >= this.limits.maxPendingConnections) {
      const [oldest] = this.pending.keys();
      if (oldest)
        this.expire(
          oldest,
          `the oldest of ${this.pending.size} pending connections (limits.maxPendingConnections) closed to make room`,
        );
    }
    const timer = setTimeout(
      () =>
        this.expire(
          socket,
          `no request within limits.handshakeTimeoutMs (${this.limits.handshakeTimeoutMs} ms)`,
        ),
      this.limits.handshakeTimeoutMs,
    );
    timer.unref();
    this.pending.set(socket, timer);
    return true;
  }

  /** The socket sent a complete request or upgrade: no longer pending. */
  settle(socket: NetSocket): void {
    const timer = this.pending.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.pending.delete(socket);
  }

  /** Closes every socket (the listener is closing). */
  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
  }

  private expire(socket: NetSocket, why: string): void {
    this.settle(socket);
    socket.destroy();
    this.refuse('handshake_timeout', `connection closed: ${why}`);
  }
}
