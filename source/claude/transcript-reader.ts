/**
 * Reads Claude Code transcripts for their figures, safely and incrementally (the I/O around
 * transcript.ts). A path is read only when it is a regular file inside the user's Claude Code data
 * folder (`$CLAUDE_CONFIG_DIR/projects`, else `~/.claude/projects`), reached without a symbolic link;
 * each refresh reads what was appended since the last one, in chunks of at most `readBytes`, yielding
 * between chunks. A file that was replaced or shrank is read again from the start. Nothing here throws:
 * a transcript that cannot be read has empty figures and the reason.
 */
import { constants, type Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { errorCodeOf } from '../errors/base.js';
import { ZERO_TOKENS, type TranscriptFigures } from '../protocol/session.js';
import { contextPercent, costUsd, type PriceTable } from './prices.js';
import { consume, createTally, totals, type TranscriptTally } from './transcript.js';
import type { ReaderStats } from '../protocol/diagnostics.js';

/** Where Claude Code keeps its transcripts for this user. */
export function claudeProjectsDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const configDir = env.CLAUDE_CONFIG_DIR?.trim();
  return join(configDir ? configDir : join(home, '.claude'), 'projects');
}

export interface ReaderOptions {
  /** The Claude Code projects folder: only files below it are read. */
  root: string;
  /** Largest read at once. */
  readBytes: number;
  /** Longest transcript line kept (longer ones are skipped and counted). */
  maxLineBytes: number;
  /** Largest number of chunks one refresh reads before it lets others have a turn. */
  maxChunksPerRefresh: number;
}

export const DEFAULT_READER: Omit<ReaderOptions, 'root'> = {
  readBytes: 4 * 1024 * 1024,
  maxLineBytes: 16 * 1024 * 1024,
  maxChunksPerRefresh: 64,
};

/** The reader's own figures, for /diagnostics. */
export type { ReaderStats };

export function createReaderStats(): ReaderStats {
  return {
    refreshes: 0,
    chunks: 0,
    bytesRead: 0,
    restarts: 0,
    refused: 0,
    failures: 0,
    lastRefreshMs: 0,
    maxRefreshMs: 0,
  };
}

type FileStatus = Exclude<TranscriptFigures['status'], 'none'>;

function within(path: string, root: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** One transcript file, read from where the last refresh stopped. */
export class TranscriptFile {
  tally: TranscriptTally = createTally();
  offset = 0;
  status: FileStatus = 'ok';
  reason: string | null = 'not read yet';
  private identity: string | null = null;

  constructor(
    readonly path: string,
    private readonly options: ReaderOptions,
    private readonly stats: ReaderStats = createReaderStats(),
  ) {}

  /** Reads what was appended; true when new bytes were read. Never throws. */
  async refresh(): Promise<boolean> {
    const started = performance.now();
    this.stats.refreshes += 1;
    try {
      return await this.readNew();
    } catch (error) {
      this.stats.failures += 1;
      const code = errorCodeOf(error);
      if (code === 'ENOENT') this.fail('missing', 'the transcript does not exist (yet)');
      else if (code === 'ELOOP') this.refuse('the transcript is a symbolic link');
      else this.fail('unreadable', `the transcript cannot be read (${code ?? String(error)})`);
      return false;
    } finally {
      const ms = performance.now() - started;
      this.stats.lastRefreshMs = Math.round(ms * 100) / 100;
      this.stats.maxRefreshMs = Math.max(this.stats.maxRefreshMs, this.stats.lastRefreshMs);
    }
  }

  private async readNew(): Promise<boolean> {
    const refusal = await this.checkPlace();
    if (refusal) {
      this.refuse(refusal);
      return false;
    }
    const handle = await open(this.path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        this.refuse('the transcript is not a regular file');
        return false;
      }
      this.restartIfReplaced(info);
      let grew = false;
      for (let chunk = 0; chunk < this.options.maxChunksPerRefresh && this.offset < info.size; chunk += 1) {
        if (chunk > 0) await yieldToEvents();
        const length = Math.min(this.options.readBytes, info.size - this.offset);
        const buffer = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
        if (bytesRead === 0) break;
        consume(this.tally, buffer.subarray(0, bytesRead), this.options.maxLineBytes);
        this.offset += bytesRead;
        this.stats.chunks += 1;
        this.stats.bytesRead += bytesRead;
        grew = true;
      }
      this.settleStatus();
      return grew;
    } finally {
      await handle.close();
    }
  }

  /** Below the root, with no symbolic link on the way (the file itself is opened with O_NOFOLLOW). */
  private async checkPlace(): Promise<string | null> {
    if (!isAbsolute(this.path) || normalize(this.path) !== this.path)
      return 'the transcript path is not a plain absolute path';
    if (!within(this.path, this.options.root))
      return "the transcript is outside Claude Code's projects folder";
    let realRoot: string;
    let realDir: string;
    try {
      realRoot = await realpath(this.options.root);
      realDir = await realpath(dirname(this.path));
    } catch (error) {
      if (errorCodeOf(error) === 'ENOENT') return null; // open() reports it as missing
      throw error;
    }
    const lexicalDir = dirname(this.path);
    const expected = realRoot + lexicalDir.slice(this.options.root.replace(/\/+$/, '').length);
    if (realDir !== expected || !within(realDir + sep, realRoot))
      return 'the transcript is reached through a symbolic link';
    return null;
  }

  private restartIfReplaced(info: Stats): void {
    const identity = `${info.dev}:${info.ino}`;
    if (this.identity !== null && (identity !== this.identity || info.size < this.offset)) {
      this.stats.restarts += 1;
      this.tally = createTally();
      this.offset = 0;
    }
    this.identity = identity;
  }

  private settleStatus(): void {
    const { tally } = this;
    const counted = tally.messages.size > 0 || Object.keys(tally.retired).length > 0;
    if (tally.malformed > 0 && !counted) {
      this.status = 'malformed';
      this.reason = `${tally.malformed} line(s) of the transcript are not JSON`;
    } else {
      this.status = 'ok';
      this.reason = tally.malformed > 0 ? `${tally.malformed} malformed line(s) skipped` : null;
    }
  }

  private refuse(reason: string): void {
    this.stats.refused += 1;
    this.fail('refused', reason);
  }

  private fail(status: FileStatus, reason: string): void {
    this.status = status;
    this.reason = reason;
    this.tally = createTally();
    this.offset = 0;
    this.identity = null;
  }
}

/**
 * A session's figures from its main transcript and its subagents' transcripts: tokens of every
 * message once; model and context use from the main conversation's latest message.
 */
export function figuresOf(
  main: TranscriptFile | null,
  agents: readonly TranscriptFile[],
  prices: PriceTable,
): TranscriptFigures {
  if (!main)
    return {
      model: null,
      tokens: { ...ZERO_TOKENS },
      byModel: {},
      costUsd: null,
      contextPercent: null,
      status: 'none',
      reason: 'no event of this session named a transcript',
    };
  const readable = [main, ...agents].filter((file) => file.status === 'ok');
  const { tokens, byModel } = totals(readable.map((file) => file.tally));
  const last = main.status === 'ok' ? main.tally.last : null;
  return {
    model: last?.model ?? null,
    tokens,
    byModel,
    costUsd: costUsd(byModel, prices),
    contextPercent: last ? contextPercent(last.model, last.usage, prices) : null,
    status: main.status,
    reason: main.reason,
  };
}
