/** The Ink app: header, the current view (or an overlay), footer; keys through the pure keymap. */
import { Box, useApp, useInput, useStdin } from 'ink';
import { useMemo, useSyncExternalStore } from 'react';
import { tabSpans } from './components/chrome.js';
import { MAX_COPY_BYTES, type TuiEffects } from './effects.js';
import { FOOTER_ROWS, frameSelector, HEADER_ROWS } from './frame.js';
import { Lines } from './lines.js';
import { parseMouse, splitChunk } from './state/input.js';
import { keyToAction, type KeyPress, type KeyResult } from './state/keys.js';
import { mouseAction } from './state/mouse.js';
import { selectedIndex, visibleEvents, type TuiState } from './state/tui-state.js';
import { lowerBoundBySeq } from './state/events-buffer.js';
import type { TuiStore } from './store.js';
import type { Theme } from './theme.js';

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
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const width = Math.max(20, columns);
  const height = Math.max(HEADER_ROWS + FOOTER_ROWS + 1, rows - 1);
  const bodyHeight = height - HEADER_ROWS - FOOTER_ROWS;
  const select = useMemo(
    () => frameSelector({ theme, width, bodyHeight, address }),
    [theme, width, bodyHeight, address],
  );
  // A state change that leaves every row as it was gives the same frame back: React renders nothing.
  const frame = useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));

  const perform = (action: KeyResult): void => {
    if (!action) return;
    if (action.type === 'quit') {
      onQuit?.();
      exit();
      return;
    }
    if (action.type === 'copy' || action.type === 'export') return runEffect(store, action.type, effects);
    if (
      (action.type === 'move' || action.type === 'top' || action.type === 'bottom') &&
      frame.scrollLines !== null
    )
      store.dispatch({ ...action, maxScroll: Math.max(0, frame.scrollLines - bodyHeight) });
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

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Lines rows={frame.header} width={width} height={HEADER_ROWS} />
      <Lines rows={frame.body} width={width} height={bodyHeight} />
      <Lines rows={frame.footer} width={width} height={FOOTER_ROWS} />
    </Box>
  );
}
