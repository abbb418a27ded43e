/**
 * One POST /events, written straight onto a TCP socket. The hook runs on every tool call and this is
 * its whole conversation with the daemon: one request with `Connection: close`, one answer read to the
 * end. node:http would do the same at the price of its parser and agent modules (≈10 ms of CPU per
 * hook here, a tenth of the hook's whole budget); fetch would load undici (more than the whole hook).
 * node:net is imported only when there is a daemon to post to: a spooling hook never pays for it; node:tls
 * only for a daemon that serves TLS, whose certificate is verified (CA, then the name or the PID file's
 * pin) before a byte of the request is written.
 */
import { hostPort } from '../client/discover.js';
import { tlsConnectOptions, type TlsTrust } from '../client/tls-trust.js';
import type { Socket } from 'node:net';
import { OCCURRED_AT_HEADER, TRUNCATED_HEADER, type TruncatedField } from '../protocol/event.js';

/** Where to post: what discoverDaemon found. */
export interface PostTarget {
  host: string;
  port: number;
  token: string;
  scheme?: 'http' | 'https';
  tls?: TlsTrust;
}

export type PostResult =
  { kind: 'answered'; status: number; body: string } | { kind: 'timeout' } | { kind: 'failed'; code: string };

const MAX_ANSWER_BYTES = 64 * 1024;

/** What the hook tells the daemon besides the payload. */
export interface PostMeta {
  occurredAt: string;
  truncated?: readonly TruncatedField[];
}

/** The request's bytes: head and body. */
export function encodeRequest(address: PostTarget, body: string, meta?: PostMeta): Buffer {
  const payload = Buffer.from(body, 'utf8');
  const head = [
    'POST /events HTTP/1.1',
    `Host: ${hostPort(address.host, address.port)}`,
    `Authorization: Bearer ${address.token}`,
    'Content-Type: application/json',
    `Content-Length: ${payload.length}`,
    'X-Mpm-Mon-Source: hook',
    ...(meta ? [`${OCCURRED_AT_HEADER}: ${meta.occurredAt}`] : []),
    ...(meta?.truncated?.length ? [`${TRUNCATED_HEADER}: ${JSON.stringify(meta.truncated)}`] : []),
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

/** The status and body of a whole HTTP/1.1 answer, or null when it is not one. */
export function parseAnswer(raw: Buffer): { status: number; body: string } | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = raw.subarray(0, end).toString('latin1');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!status) return null;
  let body = raw.subarray(end + 4);
  if (/^transfer-encoding:\s*chunked\s*$/im.test(head)) body = dechunk(body);
  return { status: Number(status[1]), body: body.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** POSTs `body` and resolves within `timeoutMs` whatever the other side does. Never rejects. */
export async function postEvent(
  address: PostTarget,
  body: string,
  timeoutMs: number,
  meta?: PostMeta,
): Promise<PostResult> {
  const secure = address.scheme === 'https';
  const where = { host: address.host, port: address.port };
  const socket: Socket = secure
    ? (await import('node:tls')).connect({ ...where, ...tlsConnectOptions(address.tls ?? {}) })
    : (await import('node:net')).connect(where);
  // Over TLS, only once the certificate verified. write, not end: a half-closed request makes node's
  // HTTP server hang up before it answers.
  socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(encodeRequest(address, body, meta)));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    socket.on('end', () => {
      const answer = parseAnswer(Buffer.concat(chunks));
      finish(answer ? { kind: 'answered', ...answer } : { kind: 'failed', code: 'BAD_ANSWER' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'failed', code: error.code ?? error.name }),
    );
  });
}
