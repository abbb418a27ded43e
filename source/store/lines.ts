import { open } from 'node:fs/promises';

/** One line of a journal segment, as bytes on disk (without its newline). */
export interface SegmentLine {
  text: string;
  /** 1-based. */
  lineNumber: number;
  /** Byte offset where the line starts. */
  start: number;
  /** False for a last line that has no newline (a torn write, or one still being written). */
  terminated: boolean;
  /** True when the line was longer than `maxLineBytes`: its text is empty and it was not kept in memory. */
  oversized: boolean;
}

export interface ReadLinesOptions {
  /** Start at this byte offset, the start of a line (default 0). */
  start?: number;
  /** Stop at this byte offset (default: the file size when opened). */
  end?: number;
  /** Longest line kept in memory; longer ones are reported as oversized (corruption). */
  maxLineBytes?: number;
  chunkBytes?: number;
}

const NEWLINE = 0x0a;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Streams a file line by line in fixed-size chunks, so a large segment never becomes one string.
 * Lines are split on bytes and decoded whole, so a multi-byte character split across chunks survives.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<SegmentLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const handle = await open(path, 'r');
  try {
    const end = options.end ?? (await handle.stat()).size;
    const chunk = Buffer.allocUnsafe(options.chunkBytes ?? 64 * 1024);
    let parts: Buffer[] = [];
    let partBytes = 0;
    let oversized = false;
    let position = options.start ?? 0;
    let lineStart = position;
    // Counted from `start` when the read does not begin at the top.
    let lineNumber = 1;

    const take = (piece: Buffer): void => {
      if (oversized) return;
      if (partBytes + piece.length > maxLineBytes) {
        oversized = true;
        parts = [];
        return;
      }
      parts.push(Buffer.from(piece));
      partBytes += piece.length;
    };
    const finish = (terminated: boolean): SegmentLine => {
      const line: SegmentLine = {
        text: oversized ? '' : Buffer.concat(parts).toString('utf8'),
        lineNumber,
        start: lineStart,
        terminated,
        oversized,
      };
      parts = [];
      partBytes = 0;
      oversized = false;
      lineNumber += 1;
      return line;
    };

    while (position < end) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, end - position), position);
      if (bytesRead === 0) break;
      let from = 0;
      while (from < bytesRead) {
        const newline = chunk.indexOf(NEWLINE, from);
        if (newline === -1 || newline >= bytesRead) {
          take(chunk.subarray(from, bytesRead));
          break;
        }
        take(chunk.subarray(from, newline));
        yield finish(true);
        lineStart = position + newline + 1;
        from = newline + 1;
      }
      position += bytesRead;
    }
    if (partBytes > 0 || oversized) yield finish(false);
  } finally {
    await handle.close();
  }
}
