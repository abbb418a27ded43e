/** The body of the screen: the current view's lines, or an overlay's. */
import { detailLines, helpLines } from './components/overlays.js';
import type { Line } from './lines.js';
import { lowerBoundBySeq } from './state/events-buffer.js';
import type { TuiState } from './state/tui-state.js';
import type { Theme } from './theme.js';
import { eventsLines } from './views/events.js';
import { healthLines } from './views/health.js';
import { recoveryLines } from './views/recovery.js';
import { sessionDetailLines } from './views/session-detail.js';
import { sessionsLines } from './views/sessions.js';
import { troubleshootLines } from './views/troubleshoot.js';

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
