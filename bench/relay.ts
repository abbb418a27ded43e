/**
 * The baselines, as a process of their own on 127.0.0.1 (port 0; prints `listening <port>`):
 *
 * - `relay`: a bare Socket.IO relay with the daemon's socket.io version and transport settings and no
 *   processing: producers emit `event` to /ingest, it re-emits each event to every viewer on
 *   /dashboard and acks. No token check, no validation, no journal, no batching.
 * - `http-202`: a bare node:http server that reads the body and answers 202.
 *
 * Imports only socket.io and node builtins: lib.ts compiles it to plain JavaScript and runs it with
 * bare node, like dist/cli.js.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const mode = process.argv[2] ?? 'relay';

const http = createServer((request, response) => {
  if (mode !== 'http-202') {
    response.writeHead(404).end();
    return;
  }
  let bytes = 0;
  request.on('data', (chunk: Buffer) => (bytes += chunk.length));
  request.on('end', () => {
    response.writeHead(202, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ accepted: 1, bytes }));
  });
});

if (mode === 'relay') {
  const io = new Server(http, {
    transports: ['websocket', 'polling'],
    perMessageDeflate: false,
    httpCompression: false,
    maxHttpBufferSize: 262_144 + 64 * 1024,
    pingInterval: 5000,
    pingTimeout: 5000,
    serveClient: false,
  });
  const dashboard = io.of('/dashboard');
  let seq = 0;
  io.of('/ingest').on('connection', (socket) => {
    socket.on('event', (payload: unknown, ack?: unknown) => {
      seq += 1;
      dashboard.emit('event', payload);
      if (typeof ack === 'function') (ack as (answer: unknown) => void)({ ok: true, seq });
    });
  });
}

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});

process.on('SIGTERM', () => process.exit(0));
