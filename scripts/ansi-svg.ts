/**
 * A terminal screen with ANSI SGR escapes (as `tmux capture-pane -p -e` prints it) as an SVG image:
 * one monospace <text> per row, a <tspan> per run of one style placed at its column, background runs
 * as <rect>s, on a dark background. Pure and deterministic: the same capture gives the same bytes.
 */

export interface CellStyle {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
}

export interface Run {
  /** 0-based column of the run's first character. */
  column: number;
  text: string;
  style: CellStyle;
}

export const PLAIN: CellStyle = {
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
};

/** The 16 basic colours (0–7 normal, 8–15 bright) of a dark theme. */
export const PALETTE: readonly string[] = [
  '#1d1f21',
  '#e06c75',
  '#98c379',
  '#e5c07b',
  '#61afef',
  '#c678dd',
  '#56b6c2',
  '#d0d0d0',
  '#7f848e',
  '#ff7b86',
  '#b5e890',
  '#ffd68a',
  '#82c4ff',
  '#de9bf0',
  '#7fd4de',
  '#ffffff',
];

export const BACKGROUND = '#16181d';
export const FOREGROUND = '#d7dae0';

/** xterm's 256-colour table: the 16 above, a 6×6×6 cube, 24 greys. */
export function color256(index: number): string {
  if (index < 16) return PALETTE[index]!;
  const hex = (value: number) => value.toString(16).padStart(2, '0');
  if (index >= 232) {
    const level = 8 + (index - 232) * 10;
    return `#${hex(level)}${hex(level)}${hex(level)}`;
  }
  const cube = index - 16;
  const step = (value: number) => (value === 0 ? 0 : 55 + value * 40);
  return `#${hex(step(Math.floor(cube / 36)))}${hex(step(Math.floor(cube / 6) % 6))}${hex(step(cube % 6))}`;
}

function rgb(r: number, g: number, b: number): string {
  const hex = (value: number) =>
    Math.max(0, Math.min(255, value || 0))
      .toString(16)
      .padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

/** Applies one SGR parameter list (the part between `ESC[` and `m`) to a style. */
export function applySgr(style: CellStyle, parameters: string): CellStyle {
  const codes = parameters === '' ? [0] : parameters.split(/[;:]/).map((part) => Number(part) || 0);
  let next = { ...style };
  for (let index = 0; index < codes.length; index += 1) {
    const code = codes[index]!;
    if (code === 0) next = { ...PLAIN };
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 22) next = { ...next, bold: false, dim: false };
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code === 27) next.inverse = false;
    else if (code >= 30 && code <= 37) next.fg = PALETTE[code - 30]!;
    else if (code === 39) next.fg = null;
    else if (code >= 40 && code <= 47) next.bg = PALETTE[code - 40]!;
    else if (code === 49) next.bg = null;
    else if (code >= 90 && code <= 97) next.fg = PALETTE[code - 90 + 8]!;
    else if (code >= 100 && code <= 107) next.bg = PALETTE[code - 100 + 8]!;
    else if (code === 38 || code === 48) {
      const mode = codes[index + 1];
      let value: string | null = null;
      if (mode === 5) {
        value = color256(Math.max(0, Math.min(255, codes[index + 2] ?? 0)));
        index += 2;
      } else if (mode === 2) {
        value = rgb(codes[index + 2] ?? 0, codes[index + 3] ?? 0, codes[index + 4] ?? 0);
        index += 4;
      }
      if (value !== null) {
        if (code === 38) next.fg = value;
        else next.bg = value;
      }
    }
  }
  return next;
}

function sameStyle(a: CellStyle, b: CellStyle): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.inverse === b.inverse
  );
}

// CSI (with SGR captured), OSC (ended by BEL or ST), other two-character escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[([0-9;:?<>=]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g;

/**
 * Splits a capture into rows of styled runs. A style carries over from one row to the next, as it
 * does on a terminal. Control characters other than escapes are dropped; one code point is one column.
 */
export function parseAnsi(capture: string): Run[][] {
  const rows: Run[][] = [];
  let style: CellStyle = { ...PLAIN };
  for (const line of capture.replace(/\r/g, '').split('\n')) {
    const runs: Run[] = [];
    let column = 0;
    const add = (text: string) => {
      // eslint-disable-next-line no-control-regex
      const clean = text.replace(/[\u0000-\u001f\u007f]/g, '');
      if (clean === '') return;
      const last = runs.at(-1);
      if (last && sameStyle(last.style, style)) last.text += clean;
      else runs.push({ column, text: clean, style });
      column += Array.from(clean).length;
    };
    let at = 0;
    for (const match of line.matchAll(ESCAPE)) {
      add(line.slice(at, match.index));
      at = match.index + match[0].length;
      if (match[2] === 'm' && !match[1]!.startsWith('?')) style = applySgr(style, match[1]!);
    }
    add(line.slice(at));
    rows.push(runs);
  }
  if (rows.length > 1 && rows.at(-1)!.length === 0) rows.pop();
  return rows;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface SvgOptions {
  /** Terminal size in cells; by default the capture's widest row and its row count. */
  columns?: number;
  rows?: number;
  fontSize?: number;
  /** Read by screen readers and shown as the image's tooltip. */
  title?: string;
}

/** Colours a run is drawn with, after inverse and dim. */
export function runColors(style: CellStyle): { fg: string; bg: string | null } {
  let fg = style.fg ?? FOREGROUND;
  let bg = style.bg;
  if (style.inverse) [fg, bg] = [bg ?? BACKGROUND, fg];
  return { fg, bg };
}

const round = (value: number) => Math.round(value * 100) / 100;

export function ansiToSvg(capture: string, options: SvgOptions = {}): string {
  const rows = parseAnsi(capture);
  const columns =
    options.columns ??
    Math.max(
      1,
      ...rows.map((runs) =>
        runs.reduce((end, run) => Math.max(end, run.column + Array.from(run.text).length), 0),
      ),
    );
  const rowCount = options.rows ?? Math.max(1, rows.length);
  const fontSize = options.fontSize ?? 14;
  const cellWidth = round(fontSize * 0.6);
  const lineHeight = round(fontSize * 1.3);
  const padding = fontSize;
  const width = round(columns * cellWidth + padding * 2);
  const height = round(rowCount * lineHeight + padding * 2);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
  ];
  if (options.title) out.push(`<title>${escapeXml(options.title)}</title>`);
  out.push(
    `<rect width="100%" height="100%" rx="6" fill="${BACKGROUND}"/>`,
    `<g font-family="'DejaVu Sans Mono','Menlo','Consolas',monospace" font-size="${fontSize}" fill="${FOREGROUND}">`,
  );
  rows.slice(0, rowCount).forEach((runs, rowIndex) => {
    const top = round(padding + rowIndex * lineHeight);
    const baseline = round(top + fontSize);
    const visible = runs
      .map((run) => ({
        ...run,
        text: Array.from(run.text)
          .slice(0, Math.max(0, columns - run.column))
          .join(''),
      }))
      .filter((run) => run.text !== '');
    for (const run of visible) {
      const { bg } = runColors(run.style);
      if (bg === null) continue;
      const x = round(padding + run.column * cellWidth);
      out.push(
        `<rect x="${x}" y="${top}" width="${round(Array.from(run.text).length * cellWidth)}" height="${lineHeight}" fill="${bg}"/>`,
      );
    }
    const spans = visible
      .filter((run) => run.text.trim() !== '')
      .map((run) => {
        const { fg } = runColors(run.style);
        const attributes = [`x="${round(padding + run.column * cellWidth)}"`];
        if (fg !== FOREGROUND) attributes.push(`fill="${fg}"`);
        if (run.style.bold) attributes.push('font-weight="bold"');
        if (run.style.dim) attributes.push('fill-opacity="0.6"');
        if (run.style.italic) attributes.push('font-style="italic"');
        if (run.style.underline) attributes.push('text-decoration="underline"');
        return `<tspan ${attributes.join(' ')}>${escapeXml(run.text)}</tspan>`;
      });
    if (spans.length > 0) out.push(`<text y="${baseline}" xml:space="preserve">${spans.join('')}</text>`);
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}
