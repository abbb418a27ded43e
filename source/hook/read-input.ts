/** Reads the hook payload from stdin, bounded in size and time, so a stuck pipe never holds Claude Code. */
import { read } from 'node:fs';

/** Whatever Claude Code hands over is read (a Write of a big file is a big payload) and cut to fit after. */
export const STDIN_LIMITS = { maxBytes: 64 * 1024 * 1024, timeoutMs: 2000 } as const;

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

/** What a reader feeds: chunks, the end, a failure. Settles once, by size, end, error or timeout. */
interface Collector {
  chunk: (buffer: Buffer) => void;
  end: () => void;
  fail: (error: NodeJS.ErrnoException) => void;
  readonly settled: boolean;
}

function collect(options: ReadStdinOptions, onSettle: (result: StdinResult) => void): Collector {
  const maxBytes = options.maxBytes ?? STDIN_LIMITS.maxBytes;
  const chunks: Buffer[] = [];
  let bytes = 0;
  let settled = false;
  const finish = (result: StdinResult): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    onSettle(result);
  };
  const text = (): string => Buffer.concat(chunks).toString('utf8');
  const timer = setTimeout(
    () => finish({ kind: 'timeout', text: text(), bytes }),
    options.timeoutMs ?? STDIN_LIMITS.timeoutMs,
  );
  return {
    chunk: (buffer) => {
      bytes += buffer.length;
      if (bytes > maxBytes) finish({ kind: 'too_large', bytes });
      else chunks.push(buffer);
    },
    end: () => finish({ kind: 'complete', text: text(), bytes }),
    fail: (error) => finish({ kind: 'failed', code: error.code ?? error.name, bytes }),
    get settled() {
      return settled;
    },
  };
}

export function readBoundedInput(
  stream: NodeJS.ReadableStream,
  options: ReadStdinOptions = {},
): Promise<StdinResult> {
  return new Promise((resolve) => {
    const collector = collect(options, (result) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', collector.end);
      stream.removeListener('error', collector.fail);
      // Stopped before EOF: let go of the pipe so it cannot keep the process alive.
      if (result.kind !== 'complete') destroyQuietly(stream);
      resolve(result);
    });
    const onData = (chunk: Buffer | string): void =>
      collector.chunk(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    stream.on('data', onData);
    stream.once('end', collector.end);
    stream.once('error', collector.fail);
    stream.resume();
  });
}

/**
 * The same bounds over a file descriptor (the hook's stdin), read with `fs.read` instead of
 * `process.stdin`: creating the stdin stream loads net and the streams machinery, a cost paid on
 * every tool call. A read still pending at the timeout is abandoned (the hook process exits after).
 */
export function readBoundedFd(fd: number, options: ReadStdinOptions = {}): Promise<StdinResult> {
  return new Promise((resolve) => {
    const collector = collect(options, resolve);
    const next = (): void => {
      const buffer = Buffer.allocUnsafe(64 * 1024);
      read(fd, buffer, 0, buffer.length, null, (error, count) => {
        if (collector.settled) return;
        if (error) return collector.fail(error);
        if (count === 0) return collector.end();
        collector.chunk(buffer.subarray(0, count));
        if (!collector.settled) next();
      });
    };
    next();
  });
}

function destroyQuietly(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
  stream.on('error', () => {});
  stream.pause();
  destroyable.destroy?.();
}
