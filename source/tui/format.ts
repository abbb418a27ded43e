/** Pure text helpers for fixed-width terminal columns. */
import { formatDuration } from '../protocol/time-text.js';

/** Cuts `text` to `width` columns, ending with the ellipsis when cut. */
export function fit(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= ellipsis.length) return chars.slice(0, width).join('');
  return chars.slice(0, width - ellipsis.length).join('') + ellipsis;
}

/** `fit` then pad to exactly `width` columns. */
export function cell(text: string, width: number, ellipsis = '…'): string {
  const cut = fit(text, width, ellipsis);
  return cut + ' '.repeat(Math.max(0, width - Array.from(cut).length));
}

export function cellRight(text: string, width: number): string {
  const cut = fit(text, width, '');
  return ' '.repeat(Math.max(0, width - Array.from(cut).length)) + cut;
}

/** Hard-wraps one line of text to `width` columns (no word splitting heuristics: JSON and paths). */
export function wrapLine(text: string, width: number): string[] {
  if (width <= 0) return [text];
  const chars = Array.from(text);
  if (chars.length <= width) return [text];
  const lines: string[] = [];
  for (let index = 0; index < chars.length; index += width)
    lines.push(chars.slice(index, index + width).join(''));
  return lines;
}

/** Word-wraps prose to `width` columns, hard-wrapping words longer than a line. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current === '') current = word;
    else if (Array.from(current).length + 1 + Array.from(word).length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
    while (Array.from(current).length > width) {
      lines.push(Array.from(current).slice(0, width).join(''));
      current = Array.from(current).slice(width).join('');
    }
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}

export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '--:--:--';
  return date.toTimeString().slice(0, 8);
}

export function formatAgo(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

/** The one duration formatter, in its compact form for the TUI's columns. */
export function formatUptime(seconds: number): string {
  return formatDuration(seconds, { compact: true });
}

/** Keeps the segments, in priority order, that fit in `width` with `gap` between them. */
export function fitSegments<T extends { text: string }>(segments: readonly T[], width: number, gap = 2): T[] {
  const kept: T[] = [];
  let used = 0;
  for (const segment of segments) {
    const length = Array.from(segment.text).length + (kept.length > 0 ? gap : 0);
    if (used + length > width) continue;
    kept.push(segment);
    used += length;
  }
  return kept;
}

/**
 * Keeps what fits in `width` (with `gap` between), the lowest `priority` first, and returns the kept
 * ones in their display order: on a narrow pane the header drops its least useful figures, not its last.
 */
export function fitByPriority<T extends { text: string; priority: number }>(
  segments: readonly T[],
  width: number,
  gap = 2,
): T[] {
  const kept = new Set(
    fitSegments(
      [...segments].sort((a, b) => a.priority - b.priority),
      width,
      gap,
    ),
  );
  return segments.filter((segment) => kept.has(segment));
}

/** Where the TUI is attached, for its header: `host:port`, with the scheme when it is https (TLS on). */
export function daemonAddressText(where: { scheme?: 'http' | 'https'; host: string; port: number }): string {
  const host = where.host.includes(':') ? `[${where.host}]` : where.host;
  return where.scheme === 'https' ? `https://${host}:${where.port}` : `${host}:${where.port}`;
}
