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
