/**
 * How text for a terminal looks: width, Unicode or ASCII symbols, colour or not. Decided once from the
 * flags, the environment and the output stream, then passed to pure renderers.
 */
import type { CheckStatus } from '../protocol/health.js';

/** Marks speak the one severity vocabulary (the health checks', doctor's, the report's). */
export type Mark = CheckStatus;

export interface TextStyle {
  width: number;
  ascii: boolean;
  color: boolean;
}

const UNICODE_MARKS: Record<Mark, string> = { pass: '✓', warn: '!', fail: '✗' };
const ASCII_MARKS: Record<Mark, string> = { pass: '+', warn: '!', fail: 'x' };
const COLOURS: Record<Mark, number> = { pass: 32, warn: 33, fail: 31 };

export const MIN_WIDTH = 40;
export const MAX_WIDTH = 100;

/** The locale's character set is UTF-8 (LC_ALL, then LC_CTYPE, then LANG; Windows consoles are assumed to be). */
export function localeIsUtf8(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '');
  if (locale === undefined) return platform === 'win32';
  return /utf-?8/i.test(locale);
}

/**
 * The one decision about colour, for every output (doctor, the CLI, the TUI through tui/color-env):
 * somebody said no — `--no-color`, NO_COLOR (any value), FORCE_COLOR=0, or TERM=dumb without a
 * FORCE_COLOR.
 */
export function colorRefused(input: { flag?: boolean; env: NodeJS.ProcessEnv }): boolean {
  const { env } = input;
  if (input.flag === false) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return true;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false';
  return env.TERM === 'dumb';
}

/**
 * Colour only when the output is a terminal and nobody said no (colorRefused). FORCE_COLOR=1..3 or
 * `--color` turns it on for a pipe.
 */
export function colorAllowed(input: { flag?: boolean; env: NodeJS.ProcessEnv; isTTY: boolean }): boolean {
  if (colorRefused(input)) return false;
  return input.env.FORCE_COLOR !== undefined || input.flag === true || input.isTTY;
}

export function detectTextStyle(input: {
  ascii?: boolean;
  color?: boolean;
  env: NodeJS.ProcessEnv;
  stream?: { isTTY?: boolean; columns?: number };
  platform?: NodeJS.Platform;
}): TextStyle {
  const columns = input.stream?.columns;
  return {
    width: clampWidth(typeof columns === 'number' && columns > 0 ? columns : 80),
    ascii: input.ascii === true || !localeIsUtf8(input.env, input.platform),
    color: colorAllowed({ flag: input.color, env: input.env, isTTY: input.stream?.isTTY === true }),
  };
}

export function clampWidth(columns: number): number {
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, Math.floor(columns)));
}

export function mark(kind: Mark, style: Pick<TextStyle, 'ascii' | 'color'>): string {
  const symbol = (style.ascii ? ASCII_MARKS : UNICODE_MARKS)[kind];
  return paint(symbol, COLOURS[kind], style);
}

export function paint(text: string, code: number, style: Pick<TextStyle, 'color'>): string {
  return style.color ? `\u001B[${code}m${text}\u001B[0m` : text;
}

export const bold = (text: string, style: Pick<TextStyle, 'color'>): string => paint(text, 1, style);
export const dim = (text: string, style: Pick<TextStyle, 'color'>): string => paint(text, 2, style);

/** Replaces the non-ASCII characters our own texts use, for terminals that cannot show them. */
export function toAscii(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/→/g, '->')
    .replace(/[^\x20-\x7E\n\t]/g, '?');
}

/**
 * Wraps `text` to `width` columns: the first line starts with `first`, the others with `rest` (a hanging
 * indent). Words longer than a line are cut. Whitespace runs collapse to one space.
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  const push = () => {
    lines.push(prefix + line);
    prefix = rest;
    line = '';
  };
  for (let word of words) {
    for (;;) {
      const room = Math.max(1, width - prefix.length);
      const needed = line === '' ? word.length : line.length + 1 + word.length;
      if (needed <= room) {
        line = line === '' ? word : `${line} ${word}`;
        break;
      }
      if (line !== '') {
        push();
        continue;
      }
      line = word.slice(0, room);
      word = word.slice(room);
      push();
      if (word === '') break;
    }
  }
  if (line !== '' || lines.length === 0) push();
  return lines;
}
