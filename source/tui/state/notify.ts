/**
 * `--notify`: tell the terminal once per wait that a session waits for the user — the bell, or a
 * desktop notification through OSC 9 (iTerm2, WezTerm, Windows Terminal…) or OSC 777 (rxvt, foot,
 * Ghostty…). Pure: which waits are new, and the bytes to write.
 */
import type { NotifyMode } from '../../config/schema.js';
import type { Session } from '../../protocol/session.js';

/** One wait: the session and when it started waiting. */
export function waitKey(session: Pick<Session, 'sessionId' | 'waitingSince'>): string {
  return `${session.sessionId}@${session.waitingSince ?? ''}`;
}

/**
 * The waits not told yet, and the keys told so far (only of sessions still waiting, so it stays small).
 * Waits that began before `since` (e.g. replayed when the TUI started) are remembered, not told.
 */
export function newWaits(
  sessions: readonly Session[],
  told: ReadonlySet<string>,
  since: number,
): { fresh: Session[]; told: Set<string> } {
  const next = new Set<string>();
  const fresh: Session[] = [];
  for (const session of sessions) {
    if (session.state !== 'waiting') continue;
    const key = waitKey(session);
    next.add(key);
    if (told.has(key)) continue;
    if (Date.parse(session.waitingSince ?? '') >= since) fresh.push(session);
  }
  return { fresh, told: next };
}

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f;]/g, ' ');
}

export function noticeText(session: Session): string {
  const what =
    session.waitingFor === 'idle'
      ? 'waits for your input'
      : `waits for you (${session.waitingFor ?? 'input'})`;
  const where = session.cwd ? ` in ${session.cwd}` : '';
  return `Claude Code ${session.sessionId.slice(0, 8)}${where} ${what}`;
}

/** The bytes that tell the terminal; empty when notifications are off. */
export function noticeSequence(mode: NotifyMode, message: string): string {
  switch (mode) {
    case 'off':
      return '';
    case 'bell':
      return '\u0007';
    case 'osc9':
      return `\u001b]9;${clean(message)}\u0007`;
    case 'osc777':
      return `\u001b]777;notify;mpm-mon;${clean(message)}\u0007`;
  }
}
