/**
 * The screen as the terminal shows it: header, body and footer rows as styled strings, computed from
 * the state outside React. Ink lays out, measures and re-tokenises the whole screen on every React
 * commit, whatever changed (≈30 ms at 120×40), so a state change that leaves every row as it was (the
 * daemon's sessions answer while the Events view shows, a /status poll with the same figures, a tick
 * that moves no visible figure) must not reach React at all: `frameSelector` gives the previous frame
 * back when the rows are the same, and `useSyncExternalStore` then renders nothing.
 */
import { footerLine, headerLines } from './components/chrome.js';
import { bodyLines } from './body.js';
import { lineString, scrolled } from './lines.js';
import { listArea } from './state/mouse.js';
import type { TuiState } from './state/tui-state.js';
import type { Theme } from './theme.js';

export const HEADER_ROWS = 2;
export const FOOTER_ROWS = 1;

export interface Frame {
  header: readonly string[];
  body: readonly string[];
  footer: readonly string[];
  /** Lines of a scrolling body in all (for the scroll bound of the keys); null when the view windows itself. */
  scrollLines: number | null;
}

export interface FrameLayout {
  theme: Theme;
  width: number;
  /** Rows of the body (the screen less header and footer). */
  bodyHeight: number;
  /** host:port shown in the header. */
  address: string;
}

export function frameOf(state: TuiState, layout: FrameLayout): Frame {
  const { theme, width, bodyHeight, address } = layout;
  const body = bodyLines(state, theme, width, bodyHeight);
  const shown = body.scroll === null ? body.lines : scrolled(body.lines, body.scroll, bodyHeight);
  const rows = (lines: ReturnType<typeof headerLines>, height: number) =>
    lines.slice(0, height).map((line) => lineString(line, theme));
  return {
    header: rows(
      headerLines(state, theme, width, address, listArea(bodyHeight, 'events').height),
      HEADER_ROWS,
    ),
    body: rows(shown, bodyHeight),
    footer: rows([footerLine(state, theme, width)], FOOTER_ROWS),
    scrollLines: body.scroll === null ? null : body.lines.length,
  };
}

const sameRows = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((row, index) => row === b[index]);

export function sameFrame(a: Frame, b: Frame): boolean {
  return (
    a.scrollLines === b.scrollLines &&
    sameRows(a.header, b.header) &&
    sameRows(a.body, b.body) &&
    sameRows(a.footer, b.footer)
  );
}

/**
 * A snapshot function for `useSyncExternalStore`: the frame of the store's state, the same object as
 * long as the state is the same or its rows did not change.
 */
export function frameSelector(layout: FrameLayout): (state: TuiState) => Frame {
  let lastState: TuiState | null = null;
  let last: Frame | null = null;
  return (state) => {
    if (state === lastState && last) return last;
    const next = frameOf(state, layout);
    lastState = state;
    if (!last || !sameFrame(last, next)) last = next;
    return last;
  };
}
