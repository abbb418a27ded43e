/** The Ink app: header, the current view (or an overlay), footer; keys through the pure keymap. */
import { Box, useApp, useInput, useStdin } from 'ink';
import { useMemo, useSyncExternalStore } from 'react';
import { detailLines, helpLines } from './components/overlays.js';
import { footerLine, headerLines, tabSpans } from './components/chrome.js';
import { MAX_COPY_BYTES, type TuiEffects } from './effects.js';
import { Lines, scrolled, type Line } from './lines.js';
import { parseMouse, splitChunk } from './state/input.js';
import { keyToAction, type KeyPress, type KeyResult } from './state/keys.js';
import { listArea, mouseAction } from './state/mouse.js';
import { selectedIndex, visibleEvents, type TuiState } from './state/tui-state.js';
import { lowerBoundBySeq } from './state/events-buffer.js';
import type { TuiStore } from './store.js';
import type { Theme } from './theme.js';
import { eventsLines } from './views/events.js';
import { healthLines } from './views/health.js';
import { recoveryLines } from './views/recovery.js';
import { sessionDetailLines } from './views/session-detail.js';
import { sessionsLines } from './views/sessions.js';
import { troubleshootLines } from './views/troubleshoot.js';

export interface AppProps {
  store: TuiStore;
  theme: Theme;
  /** Terminal columns and rows; the app uses rows − 1 (a full-height frame makes Ink flicker). */
  columns: number;
  rows: number;
  /** host:port shown in the header. */
  address: string;
  /** `y` and `e`: the clipboard and the export file (without them the footer says they are off). */
  effects?: TuiEffects;
  onQuit?: () => void;
}

const HEADER_ROWS = 2;
const FOOTER_ROWS = 1;

/** The body's lines and whether they scroll (with their scroll offset) or window themselves. */
export function bodyLines(
  state: TuiState,
  theme: Theme,
  width: number,
  height: number,
): { lines: Line[]; scroll: number | null } {
  const overlay = state.ui.overlay;
  if (overlay?.kind === 'help') return { lines: helpLines(width), scroll: overlay.scroll };
  if (overlay?.kind === 'session')
    return { lines: sessionDetailLines(state, overlay.sessionId, theme, width), scroll: overlay.scroll };
  if (overlay?.kind === 'detail') {
    const events = state.buffer.events;
    const found = events[lowerBoundBySeq(events, overlay.seq)];
    return {
      lines: detailLines(found?.seq === overlay.seq ? found : undefined, width),
      scroll: overlay.scroll,
    };
  }
  switch (state.ui.view) {
    case 'events':
      return { lines: eventsLines(state, theme, width, height), scroll: null };
    case 'sessions':
      return { lines: sessionsLines(state, theme, width, height), scroll: null };
    case 'health':
      return { lines: healthLines(state, theme, width), scroll: state.ui.scroll.health };
    case 'recovery':
      return { lines: recoveryLines(state, theme, width), scroll: state.ui.scroll.recovery };
    case 'troubleshoot':
      return {
        lines: troubleshootLines(state, theme, width),
        scroll: state.ui.scroll.troubleshoot,
      };
  }
}

/** The event `y` copies: the one the detail shows, else the selected one of the Events view. */
export function eventToCopy(state: TuiState) {
  const overlay = state.ui.overlay;
  if (overlay?.kind === 'detail') {
    const events = state.buffer.events;
    const found = events[lowerBoundBySeq(events, overlay.seq)];
    return found?.seq === overlay.seq ? found : undefined;
  }
  if (overlay || state.ui.view !== 'events') return undefined;
  const list = visibleEvents(state);
  return list[selectedIndex(state.ui, list)];
}

function formatBytes(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Carries out `y` and `e` and says in the footer what happened. */
function runEffect(store: TuiStore, type: 'copy' | 'export', effects: TuiEffects | undefined): void {
  const state = store.getSnapshot();
  const notice = (text: string, error = false) =>
    store.dispatch({ type: 'notice', text, now: Date.now(), error });
  if (!effects) return notice(`${type} is not available here`, true);
  try {
    if (type === 'copy') {
      const event = eventToCopy(state);
      if (!event) return notice('copy: select an event in the Events view first', true);
      const json = JSON.stringify(event, null, 2);
      const bytes = Buffer.byteLength(json);
      if (bytes > MAX_COPY_BYTES)
        return notice(
          `copy: event #${event.seq} is ${formatBytes(bytes)}, too big for the clipboard; e exports it`,
          true,
        );
      effects.copy(json);
      return notice(`copied event #${event.seq} as JSON (${formatBytes(bytes)}) to the clipboard (OSC 52)`);
    }
    const list = visibleEvents(state);
    if (list.length === 0) return notice('export: the Events view is empty', true);
    const path = effects.exportEvents(list);
    notice(`exported ${list.length} event(s) to ${path}`);
  } catch (error) {
    notice(`${type} failed: ${(error as Error).message}`, true);
  }
}

export function App({ store, theme, columns, rows, address, effects, onQuit }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const width = Math.max(20, columns);
  const height = Math.max(HEADER_ROWS + FOOTER_ROWS + 1, rows - 1);
  const bodyHeight = height - HEADER_ROWS - FOOTER_ROWS;
  const body = useMemo(() => bodyLines(state, theme, width, bodyHeight), [state, theme, width, bodyHeight]);

  const perform = (action: KeyResult): void => {
    if (!action) return;
    if (action.type === 'quit') {
      onQuit?.();
      exit();
      return;
    }
    if (action.type === 'copy' || action.type === 'export') return runEffect(store, action.type, effects);
    if ((action.type === 'move' || action.type === 'top' || action.type === 'bottom') && body.scroll !== null)
      store.dispatch({ ...action, maxScroll: Math.max(0, body.lines.length - bodyHeight) });
    else store.dispatch(action);
  };

  const handleKey = (input: string, key: KeyPress): void => {
    const ui = store.getSnapshot().ui;
    const pageSize = Math.max(1, ui.overlay || ui.view !== 'events' ? bodyHeight : bodyHeight - 1);
    perform(keyToAction(input, key, ui, pageSize));
  };

  useInput(
    (input, key) => {
      const mouse = parseMouse(input);
      if (mouse) {
        const layout = { tabsRow: 1, bodyTop: HEADER_ROWS, bodyHeight, tabs: tabSpans(width, theme) };
        return perform(mouseAction(mouse, store.getSnapshot().ui, layout));
      }
      // Keys typed fast (or pasted) can reach us in one read ("1k", "type:Pre\r" after `/`): each is
      // its own key, read against the state the one before it left, so the Enter ends the prompt.
      for (const stroke of splitChunk(input, key)) handleKey(stroke.input, stroke.key);
    },
    { isActive: isRawModeSupported === true },
  );

  const shown = body.scroll === null ? body.lines : scrolled(body.lines, body.scroll, bodyHeight);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Lines
        lines={headerLines(state, theme, width, address, listArea(bodyHeight, 'events').height)}
        theme={theme}
        width={width}
        height={HEADER_ROWS}
      />
      <Lines lines={shown} theme={theme} width={width} height={bodyHeight} />
      <Lines lines={[footerLine(state, theme, width)]} theme={theme} width={width} height={FOOTER_ROWS} />
    </Box>
  );
}
