/**
 * The daemon's wire as a client sees it: real HTTP requests, real Socket.IO viewers and producers, and
 * the recorded Claude Code hook payloads. Daemons and homes come from test/helpers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { MonEvent } from '../../source/protocol/event.js';
import type { Home } from '../helpers/temp-home.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/claude-hooks/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/**
 * A hand-written session (a payment-client fix in `/home/dev/shop`) in the older payload shape: what
 * the TUI tests and the README's screenshots show. Real captured payloads are in FIXTURES.
 */
export function storyFixture(name: string): string {
  return readFileSync(join(FIXTURES, 'story', name), 'utf8');
}

/** Every event line in the home's journal segments, as written (a torn last line is skipped). */
export function journalEvents(home: Home): MonEvent[] {
  const dir = join(home.path, 'journal');
  return readdirSync(dir)
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as MonEvent];
      } catch {
        return [];
      }
    });
}

export interface HttpAnswer {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export function http(
  port: number,
  method: string,
  path: string,
  options: { token?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const req = request(
      { host: '127.0.0.1', port, method, path, headers, timeout: 10_000, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            body = null;
          }
          resolve({ status: res.statusCode ?? 0, body, text, headers: res.headers });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export const get = (port: number, path: string, token?: string): Promise<HttpAnswer> =>
  http(port, 'GET', path, { token });
export const postEvents = (
  port: number,
  token: string,
  body: string | Buffer,
  headers?: Record<string, string>,
): Promise<HttpAnswer> => http(port, 'POST', '/events', { token, body, headers });

export interface Viewer {
  socket: Socket;
  events: MonEvent[];
  messages: Array<{ name: string; payload: any }>;
  close(): void;
}

/** A real Socket.IO viewer on /dashboard that records every event and message. */
export function connectViewer(port: number, auth: Record<string, unknown>): Promise<Viewer> {
  const socket = io(`http://127.0.0.1:${port}/dashboard`, {
    transports: ['websocket'],
    auth,
    reconnection: false,
    forceNew: true,
  });
  const viewer: Viewer = {
    socket,
    events: [],
    messages: [],
    close: () => {
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
  socket.on('event', (event: MonEvent) => viewer.events.push(event));
  socket.on('events', (events: MonEvent[]) => viewer.events.push(...events));
  socket.onAny((name: string, payload: unknown) => viewer.messages.push({ name, payload }));
  return new Promise((resolve, reject) => {
    socket.once('hello', () => resolve(viewer));
    socket.once('connect_error', (error) => {
      viewer.close();
      reject(error);
    });
  });
}

/** A real Socket.IO producer on /ingest, connected (no reconnection: tests decide what a drop means). */
export async function connectProducer(port: number, token: string, producer?: string): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${port}/ingest`, {
    transports: ['websocket'],
    auth: producer === undefined ? { token } : { token, producer },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
  return socket;
}

/** A process's resident set in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}
