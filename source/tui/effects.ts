/**
 * What `y` and `e` do outside the state: put the selected event on the clipboard with OSC 52 (the
 * terminal does it, so it works over SSH and inside tmux with `set-clipboard on`), and write the
 * Events view to an NDJSON file in `$MPM_MON_HOME/exports/` (private like the rest of the home:
 * events can hold file contents). The app shows what happened in the footer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MonEvent } from '../protocol/event.js';

export interface TuiEffects {
  /** Puts `text` on the clipboard. */
  copy: (text: string) => void;
  /** Writes the events, one JSON object per line; returns the file's path. */
  exportEvents: (events: readonly MonEvent[]) => string;
}

/** Past this the terminal (and tmux) may drop the sequence: `e` exports such an event instead. */
export const MAX_COPY_BYTES = 512 * 1024;

/** OSC 52 "set the clipboard" for `text` (base64 of its UTF-8), ended with BEL. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/** `events-20250601-100000.ndjson` for a time: sortable, no characters a shell must quote. */
export function exportFileName(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `events-${stamp}.ndjson`;
}

export function ndjson(events: readonly MonEvent[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}

export function terminalEffects(
  stdout: { write: (text: string) => unknown },
  exportsDir: string,
  now: () => Date = () => new Date(),
): TuiEffects {
  return {
    copy: (text) => void stdout.write(osc52(text)),
    exportEvents(events) {
      mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
      const base = exportFileName(now());
      let path = join(exportsDir, base);
      // Two exports in one second get their own files; an export never overwrites another.
      for (let n = 2; ; n += 1) {
        try {
          writeFileSync(path, ndjson(events), { mode: 0o600, flag: 'wx' });
          return path;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 99) throw error;
          path = join(exportsDir, base.replace('.ndjson', `-${n}.ndjson`));
        }
      }
    },
  };
}
