/** The detail and help overlays, as lines. */
import type { MonEvent } from '../../protocol/event.js';
import { wrapLine } from '../format.js';
import type { Line } from '../lines.js';
import { typeColor } from '../theme.js';

export function detailLines(event: MonEvent | undefined, width: number): Line[] {
  if (!event) return [[{ text: ' this event is no longer in the buffer (Esc closes)', dim: true }]];
  const lines: Line[] = [
    [
      { text: ` #${event.seq} ` },
      { text: event.type, color: typeColor(event.type), bold: true },
      { text: `  ${event.receivedAt}  (Esc closes, j/k PgUp/PgDn scroll)`, dim: true },
    ],
  ];
  const json = JSON.stringify(event, null, 2);
  for (const raw of json.split('\n'))
    for (const text of wrapLine(raw, Math.max(10, width - 2))) lines.push([{ text: ` ${text}` }]);
  return lines;
}

export const HELP_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['1-5, Tab', 'switch view: Events, Sessions, Health, Recovery, Troubleshoot'],
  ['up/down, j/k', 'move the selection (or scroll)'],
  ['PgUp/PgDn', 'a page up or down'],
  ['g / G', 'first / last (G follows new events again)'],
  ['Enter', "Events: the whole event; Sessions: the session's detail (Enter again: its events)"],
  ['t', 'Sessions: tool statistics across sessions (t again: the list)'],
  ['/', 'filter: text, /regex/, type:X, session:X, tool:X, !term inverts'],
  ['Esc', 'back out: close, cancel, clear the filter'],
  ['space, s', 'pause / follow (counts what arrives while paused)'],
  ['l', 'jump to live (resume and follow)'],
  ['c', 'clear the Events view (the buffer keeps the events)'],
  ['?', 'this help'],
  ['q, Ctrl-C', 'quit'],
];

export function helpLines(width: number): Line[] {
  const keyWidth = 14;
  const lines: Line[] = [[{ text: ' Keys  (? or Esc closes)', bold: true }], []];
  for (const [key, what] of HELP_KEYS) {
    const wrapped = wrapLine(what, Math.max(10, width - keyWidth - 3));
    wrapped.forEach((text, index) =>
      lines.push([
        { text: ` ${(index === 0 ? key : '').padEnd(keyWidth)} `, color: 'cyan', bold: true },
        { text },
      ]),
    );
  }
  return lines;
}
