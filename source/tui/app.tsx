/** The Ink app: header, the current view (or an overlay), footer; keys through the pure keymap. */
import { Box, useApp, useInput, useStdin } from 'ink';
import { useMemo, useSyncExternalStore } from 'react';
import { detailLines, helpLines } from './components/overlays.js';
import { footerLine, headerLines } from './components/chrome.js';
import { Lines, scrolled, type Line } from './lines.js';
import { keyToAction } from './state/keys.js';
import type { TuiState } from './state/tui-state.js';
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

export function App({ store, theme, columns, rows, address, onQuit }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const width = Math.max(20, columns);
  const height = Math.max(HEADER_ROWS + FOOTER_ROWS + 1, rows - 1);
  const bodyHeight = height - HEADER_ROWS - FOOTER_ROWS;
  const body = useMemo(() => bodyLines(state, theme, width, bodyHeight), [state, theme, width, bodyHeight]);

  const handleKey = (input: string, key: Parameters<typeof keyToAction>[1]): void => {
    const ui = store.getSnapshot().ui;
    const pageSize = Math.max(1, ui.overlay || ui.view !== 'events' ? bodyHeight : bodyHeight - 1);
    const action = keyToAction(input, key, ui, pageSize);
    if (!action) return;
    if (action.type === 'quit') {
      onQuit?.();
      exit();
      return;
    }
    if ((action.type === 'move' || action.type === 'top' || action.type === 'bottom') && body.scroll !== null)
      store.dispatch({ ...action, maxScroll: Math.max(0, body.lines.length - bodyHeight) });
    else store.dispatch(action);
  };

  useInput(
    (input, key) => {
      // Keys typed fast (or pasted) can reach us in one read, e.g. "1k": outside the filter prompt,
      // each printable character is its own key.
      const plain = !key.ctrl && !key.meta && store.getSnapshot().ui.filterDraft === null;
      if (plain && input.length > 1 && /^[\x20-\x7e]+$/.test(input)) {
        for (const char of input) handleKey(char, key);
      } else handleKey(input, key);
    },
    { isActive: isRawModeSupported === true },
  );

  const shown = body.scroll === null ? body.lines : scrolled(body.lines, body.scroll, bodyHeight);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Lines
        lines={headerLines(state, theme, width, address)}
        theme={theme}
        width={width}
        height={HEADER_ROWS}
      />
      <Lines lines={shown} theme={theme} width={width} height={bodyHeight} />
      <Lines lines={[footerLine(state, theme, width)]} theme={theme} width={width} height={FOOTER_ROWS} />
    </Box>
  );
}
