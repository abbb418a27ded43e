/** Maps a key press to an action, given what is on screen. Pure, so the whole keymap is tested directly. */
import type { TuiAction, UiState, ViewName } from './tui-state.js';
import { VIEWS } from './tui-state.js';

/** The subset of Ink's `Key` the keymap reads. */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** Actions with effects outside the state (the terminal, a file) are carried out by the app. */
export type EffectAction = { type: 'quit' } | { type: 'copy' } | { type: 'export' };
export type KeyResult = TuiAction | EffectAction | null;

export function keyToAction(input: string, key: KeyPress, ui: UiState, pageSize: number): KeyResult {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (ui.filterDraft !== null) return promptKey(input, key, ui.filterDraft);

  if (key.escape) return { type: 'back' };
  if (key.return) return { type: 'open' };
  if (key.tab) return { type: 'cycleView', delta: key.shift ? -1 : 1 };
  if (key.upArrow) return { type: 'move', delta: -1, pageSize };
  if (key.downArrow) return { type: 'move', delta: 1, pageSize };
  if (key.pageUp || (key.ctrl && input === 'b')) return { type: 'move', delta: -pageSize, pageSize };
  if (key.pageDown || (key.ctrl && input === 'f')) return { type: 'move', delta: pageSize, pageSize };
  if (key.home) return { type: 'top', pageSize };
  if (key.end) return { type: 'bottom', pageSize };
  if (key.ctrl || key.meta) return null;

  if (ui.overlay?.kind === 'help' && input === '?') return { type: 'toggleHelp' };
  switch (input) {
    case 'q':
      return { type: 'quit' };
    case 'k':
      return { type: 'move', delta: -1, pageSize };
    case 'j':
      return { type: 'move', delta: 1, pageSize };
    case 'g':
      return { type: 'top', pageSize };
    case 'G':
      return { type: 'bottom', pageSize };
    case '?':
      return { type: 'toggleHelp' };
    case '/':
      return { type: 'filterStart' };
    case 'f':
      return { type: 'searchStart' };
    case 'n':
      return { type: 'searchNext', delta: 1, pageSize };
    case 'N':
      return { type: 'searchNext', delta: -1, pageSize };
    case 'b':
      return { type: 'toggleBookkeeping' };
    case 'y':
      return { type: 'copy' };
    case 'e':
      return { type: 'export' };
    case ' ':
    case 's':
      return { type: 'togglePause' };
    case 'l':
      return { type: 'live' };
    case 'c':
      return { type: 'clear' };
    case 't':
      return ui.view === 'sessions' ? { type: 'toggleTools' } : null;
    default: {
      const number = Number(input);
      if (Number.isInteger(number) && number >= 1 && number <= VIEWS.length)
        return { type: 'view', view: VIEWS[number - 1] as ViewName };
      return null;
    }
  }
}

/** Typing after `/` (filter) or `f` (find): the draft is text until Enter or Esc. */
function promptKey(input: string, key: KeyPress, draft: string): KeyResult {
  if (key.escape) return { type: 'back' };
  if (key.return) return { type: 'filterCommit' };
  if (key.backspace || key.delete) return { type: 'filterDraft', text: draft.slice(0, -1) };
  if (key.ctrl && input === 'u') return { type: 'filterDraft', text: '' };
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown)
    return null;
  // eslint-disable-next-line no-control-regex
  const printable = input.replace(/[\u0000-\u001f\u007f]/g, '');
  return printable ? { type: 'filterDraft', text: draft + printable } : null;
}
