/** One POST /events with node:http (not fetch: loading undici alone costs more than the whole hook). */
import { request } from 'node:http';
import { hostPort } from '../client/discover.js';
import { OCCURRED_AT_HEADER, TRUNCATED_HEADER, type TruncatedField } from '../protocol/event.js';

/** Where to post: what discoverDaemon found. */
export interface PostTarget {
  host: string;
  port: number;
  token: string;
}

export type PostResult =
  { kind: 'answered'; status: number; body: string } | { kind: 'timeout' } | { kind: 'failed'; code: string };

const MAX_ANSWER_BYTES = 4096;

/** What the hook tells the daemon besides the payload. */
export interface PostMeta {
  occurredAt: string;
  truncated?: readonly TruncatedField[];
}

/** POSTs `body` and resolves within `timeoutMs` whatever the other side does. Never rejects. */
export function postEvent(
  address: PostTarget,
  body: string,
  timeoutMs: number,
  meta?: PostMeta,
): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const payload = Buffer.from(body, 'utf8');
    const req = request(
      {
        host: address.host,
        port: address.port,
        method: 'POST',
        path: '/events',
        agent: false,
        headers: {
          Host: hostPort(address.host, address.port),
          Authorization: `Bearer ${address.token}`,
          'Content-Type': 'application/json',
          'Content-Length': payload.length,
          'X-Mpm-Mon-Source': 'hook',
          ...(meta ? { [OCCURRED_AT_HEADER]: meta.occurredAt } : {}),
          ...(meta?.truncated?.length ? { [TRUNCATED_HEADER]: JSON.stringify(meta.truncated) } : {}),
          Connection: 'close',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          finish({
            kind: 'answered',
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES),
          }),
        );
        res.on('error', () => finish({ kind: 'answered', status: res.statusCode ?? 0, body: '' }));
      },
    );
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'failed', code: error.code ?? error.name }),
    );
    req.end(payload);
  });
}
