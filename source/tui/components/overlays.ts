/** The detail and help overlays, as lines. */
import type { MonEvent } from '../../protocol/event.js';
import { wrapLine, wrapWords } from '../format.js';
import { KEYMAP } from '../state/keymap.js';
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
  // What was cut to fit events.maxBytes, before the JSON (where the cut values end in the middle).
  for (const cut of event.truncated ?? [])
    for (const text of wrapWords(
      `cut to fit events.maxBytes: ${cut.path} (${cut.originalBytes.toLocaleString('en-US')} bytes originally)`,
      Math.max(10, width - 2),
    ))
      lines.push([{ text: ` ${text}`, color: 'yellow' }]);
  const json = JSON.stringify(event, null, 2);
  for (const raw of json.split('\n'))
    for (const text of wrapLine(raw, Math.max(10, width - 2))) lines.push([{ text: ` ${text}` }]);
  return lines;
}

export function helpLines(width: number): Line[] {
  const keyWidth = Math.min(30, Math.max(...KEYMAP.map((entry) => entry.keys.length)));
  const lines: Line[] = [[{ text: ' Keys  (? or Esc closes)', bold: true }], []];
  // Narrow panes put the description under the key; words are never cut in the middle.
  const inline = width - keyWidth - 3 >= 24;
  for (const { keys, what } of KEYMAP) {
    if (!inline) {
      lines.push([{ text: ` ${keys}`, color: 'cyan', bold: true }]);
      for (const text of wrapWords(what, Math.max(10, width - 4))) lines.push([{ text: `   ${text}` }]);
      continue;
    }
    wrapWords(what, width - keyWidth - 3).forEach((text, index) =>
      lines.push([
        { text: ` ${(index === 0 ? keys : '').padEnd(keyWidth)} `, color: 'cyan', bold: true },
        { text },
      ]),
    );
  }
  return lines;
}
