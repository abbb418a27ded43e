/**
 * Claude Code's transcript (JSON lines), reduced to figures. Pure: bytes in, tally out.
 *
 * Each assistant line has `message.{id, model, usage}`; a message with several content blocks is
 * written as several lines that each repeat its usage, so a message counts once, by id (a later line
 * of the same id replaces its usage). Only figures are kept: no text of the transcript.
 * Lines are taken whole: bytes after the last newline wait for the next read; a line longer than
 * `maxLineBytes` is skipped (counted), so memory stays bounded whatever the file holds.
 */
import { ZERO_TOKENS, type TokenTotals } from '../protocol/session.js';

export interface MessageUsage {
  model: string;
  usage: TokenTotals;
}

export interface TranscriptTally {
  /** Usage per assistant message id, the latest `MAX_MESSAGES`. */
  readonly messages: Map<string, MessageUsage>;
  /** Per-model totals of older messages, folded out of `messages` to bound memory. */
  readonly retired: Record<string, TokenTotals>;
  /** The latest assistant message of the main conversation (not a sidechain). */
  last: MessageUsage | null;
  lines: number;
  malformed: number;
  skippedLong: number;
  /** Bytes of a line not finished yet (kept between reads). */
  carry: Buffer | null;
  /** True while skipping the rest of a line longer than the limit. */
  skipping: boolean;
}

export function createTally(): TranscriptTally {
  return {
    messages: new Map(),
    retired: {},
    last: null,
    lines: 0,
    malformed: 0,
    skippedLong: 0,
    carry: null,
    skipping: false,
  };
}

/** Lines of one message are written together: an id seen this many messages ago will not come back. */
export const MAX_MESSAGES = 50_000;
const NEWLINE = 0x0a;
const USAGE = Buffer.from('"usage"');
/** Claude Code's own messages (errors, interruptions) carry this model and no real usage. */
const SYNTHETIC_MODEL = '<synthetic>';

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function usageOf(raw: Record<string, unknown>): TokenTotals {
  return {
    input: count(raw.input_tokens),
    output: count(raw.output_tokens),
    cacheRead: count(raw.cache_read_input_tokens),
    cacheWrite: count(raw.cache_creation_input_tokens),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function takeLine(tally: TranscriptTally, line: Buffer): void {
  if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) return;
  tally.lines += 1;
  // Most lines (prompts, tool results) have no usage: skip them without parsing.
  if (line.indexOf(USAGE) === -1) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString('utf8'));
  } catch {
    tally.malformed += 1;
    return;
  }
  if (!isRecord(parsed) || parsed.type !== 'assistant' || !isRecord(parsed.message)) return;
  const { id, model, usage } = parsed.message;
  if (typeof id !== 'string' || typeof model !== 'string' || !isRecord(usage)) return;
  if (model === SYNTHETIC_MODEL) return;
  const entry: MessageUsage = { model, usage: usageOf(usage) };
  tally.messages.delete(id); // re-insert: the latest message is last
  tally.messages.set(id, entry);
  if (tally.messages.size > MAX_MESSAGES) {
    const [oldestId, oldest] = tally.messages.entries().next().value as [string, MessageUsage];
    tally.messages.delete(oldestId);
    tally.retired[oldest.model] = addTokens(tally.retired[oldest.model] ?? ZERO_TOKENS, oldest.usage);
  }
  if (parsed.isSidechain !== true) tally.last = entry;
}

/**
 * Takes every whole line of `chunk` (preceded by what was carried from the last read). Mutates the
 * tally; returns it for convenience.
 */
export function consume(tally: TranscriptTally, chunk: Buffer, maxLineBytes: number): TranscriptTally {
  let start = 0;
  while (start < chunk.length) {
    const end = chunk.indexOf(NEWLINE, start);
    if (end === -1) {
      const rest = chunk.subarray(start);
      if (tally.skipping) return tally;
      const carried = tally.carry ? tally.carry.length + rest.length : rest.length;
      if (carried > maxLineBytes) {
        tally.carry = null;
        tally.skipping = true;
        tally.skippedLong += 1;
      } else tally.carry = tally.carry ? Buffer.concat([tally.carry, rest]) : Buffer.from(rest);
      return tally;
    }
    const piece = chunk.subarray(start, end);
    start = end + 1;
    if (tally.skipping) {
      tally.skipping = false;
      continue;
    }
    if (tally.carry) {
      const whole = tally.carry.length + piece.length;
      const line = whole > maxLineBytes ? null : Buffer.concat([tally.carry, piece]);
      tally.carry = null;
      if (line) takeLine(tally, line);
      else tally.skippedLong += 1;
    } else if (piece.length > maxLineBytes) tally.skippedLong += 1;
    else takeLine(tally, piece);
  }
  return tally;
}

export function addTokens(into: TokenTotals, add: TokenTotals): TokenTotals {
  return {
    input: into.input + add.input,
    output: into.output + add.output,
    cacheRead: into.cacheRead + add.cacheRead,
    cacheWrite: into.cacheWrite + add.cacheWrite,
  };
}

/** Totals and per-model totals of the messages of one or more transcripts, each message id once. */
export function totals(tallies: readonly TranscriptTally[]): {
  tokens: TokenTotals;
  byModel: Record<string, TokenTotals>;
} {
  const seen = new Set<string>();
  let tokens: TokenTotals = ZERO_TOKENS;
  const byModel: Record<string, TokenTotals> = {};
  for (const tally of tallies) {
    for (const [model, retired] of Object.entries(tally.retired)) {
      tokens = addTokens(tokens, retired);
      byModel[model] = addTokens(byModel[model] ?? ZERO_TOKENS, retired);
    }
    for (const [id, message] of tally.messages) {
      if (seen.has(id)) continue;
      seen.add(id);
      tokens = addTokens(tokens, message.usage);
      byModel[message.model] = addTokens(byModel[message.model] ?? ZERO_TOKENS, message.usage);
    }
  }
  return { tokens, byModel };
}
