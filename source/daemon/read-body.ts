import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true; received: number };

/** Reads a request body, giving up (without buffering the rest) once it passes `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.resolve({ ok: false, tooLarge: true, received: declared });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        request.resume();
        resolve({ ok: false, tooLarge: true, received: size });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!done) resolve({ ok: true, body: Buffer.concat(chunks, size) });
    });
    request.on('error', (error) => {
      if (!done) reject(error);
    });
  });
}

/**
 * Lets the rest of a refused body arrive (discarded) before the answer is sent, so the client reads a
 * 413 instead of a broken pipe; bounded in bytes and time, past which the answer goes out anyway.
 */
export function drainRequest(request: IncomingMessage, maxBytes: number, timeoutMs = 2000): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = (): void => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', done);
      request.off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    request.on('data', onData);
    request.once('end', done);
    request.once('error', done);
    request.resume();
  });
}
