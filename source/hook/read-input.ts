/** Reads the hook payload from stdin, bounded in size and time, so a stuck pipe never holds Claude Code. */
import { read } from 'node:fs';

export const STDIN_LIMITS = { maxBytes: 1024 * 1024, timeoutMs: 2000 } as const;

export type StdinResult =
  | { kind: 'complete'; text: string; bytes: number }
  /** The writer did not close stdin in time; `text` is what arrived (it may still be a whole payload). */
  | { kind: 'timeout'; text: string; bytes: number }
  | { kind: 'too_large'; bytes: number }
  | { kind: 'failed'; code: string; bytes: number };

export interface ReadStdinOptions {
  maxBytes?: number;
  timeoutMs?: number;
}

export function readBoundedInput(
  stream: NodeJS.ReadableStream,
  options: ReadStdinOptions = {},
): Promise<StdinResult> {
  const maxBytes = options.maxBytes ?? STDIN_LIMITS.maxBytes;
  const timeoutMs = options.timeoutMs ?? STDIN_LIMITS.timeoutMs;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: StdinResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      // Stopped before EOF: let go of the pipe so it cannot keep the process alive.
      if (result.kind !== 'complete') destroyQuietly(stream);
      resolve(result);
    };
    const text = (): string => Buffer.concat(chunks).toString('utf8');
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      bytes += buffer.length;
      if (bytes > maxBytes) finish({ kind: 'too_large', bytes });
      else chunks.push(buffer);
    };
    const onEnd = (): void => finish({ kind: 'complete', text: text(), bytes });
    const onError = (error: Error): void =>
      finish({ kind: 'failed', code: (error as NodeJS.ErrnoException).code ?? error.name, bytes });
    const timer = setTimeout(() => finish({ kind: 'timeout', text: text(), bytes }), timeoutMs);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.resume();
  });
}

function destroyQuietly(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
  stream.on('error', () => {});
  stream.pause();
  destroyable.destroy?.();
}

/**
 * The same bounds over a file descriptor (the hook's stdin), read with `fs.read` instead of
 * `process.stdin`: creating the stdin stream loads net and the streams machinery, a cost paid on
 * every tool call. A read still pending at the timeout is abandoned (the hook process exits after).
 */
export function readBoundedFd(fd: number, options: ReadStdinOptions = {}): Promise<StdinResult> {
  const maxBytes = options.maxBytes ?? STDIN_LIMITS.maxBytes;
  const timeoutMs = options.timeoutMs ?? STDIN_LIMITS.timeoutMs;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: StdinResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const text = (): string => Buffer.concat(chunks).toString('utf8');
    const timer = setTimeout(() => finish({ kind: 'timeout', text: text(), bytes }), timeoutMs);
    const next = (): void => {
      const buffer = Buffer.allocUnsafe(64 * 1024);
      read(fd, buffer, 0, buffer.length, null, (error, count) => {
        if (settled) return;
        if (error) return finish({ kind: 'failed', code: error.code ?? error.name, bytes });
        if (count === 0) return finish({ kind: 'complete', text: text(), bytes });
        bytes += count;
        if (bytes > maxBytes) return finish({ kind: 'too_large', bytes });
        chunks.push(buffer.subarray(0, count));
        next();
      });
    };
    next();
  });
}
