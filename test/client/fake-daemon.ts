/** A stand-in for the daemon's /dashboard namespace in tests: real socket.io on 127.0.0.1, port 0. */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import type { MonEvent } from '../../source/protocol/event.js';
import type { HelloMessage } from '../../source/protocol/messages.js';

export const TOKEN = 'test-token';

export function makeEvent(seq: number): MonEvent {
  return {
    seq,
    id: `id-${seq}`,
    receivedAt: new Date(1_700_000_000_000 + seq).toISOString(),
    occurredAt: new Date(1_700_000_000_000 + seq).toISOString(),
    type: 'PreToolUse',
    sessionId: 'session-1',
    source: 'hook',
    tool: 'Bash',
    cwd: '/project',
    data: { tool_input: { command: `echo ${seq}` } },
  };
}

export function hello(lastSeq: number, replay: HelloMessage['replay'] = null): HelloMessage {
  return {
    version: '0.0.0',
    pid: process.pid,
    host: '127.0.0.1',
    port: 0,
    startedAt: new Date().toISOString(),
    uptimeSeconds: 1,
    lastSeq,
    replay,
    health: null,
  };
}

/** A stand-in daemon: real socket.io, a /dashboard namespace that checks the token and records handshakes. */
export class FakeDaemon {
  readonly handshakes: Array<Record<string, unknown>> = [];
  readonly sockets: Socket[] = [];
  io!: Server;
  http!: HttpServer;
  port = 0;
  onViewer: (socket: Socket, auth: Record<string, unknown>) => void = () => {};

  async listen(port = 0): Promise<void> {
    this.http = createServer();
    this.io = new Server(this.http, { transports: ['websocket'] });
    this.io.of('/dashboard').use((socket, next) => {
      const auth = socket.handshake.auth as Record<string, unknown>;
      this.handshakes.push(auth);
      next(auth.token === TOKEN ? undefined : new Error('unauthorized'));
    });
    this.io.of('/dashboard').on('connection', (socket) => {
      this.sockets.push(socket);
      this.onViewer(socket, socket.handshake.auth);
    });
    await new Promise<void>((resolve) => this.http.listen(port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.sockets.length = 0;
    await this.io.close();
  }
}
