/**
 * What one read from the terminal holds. Typed fast (or pasted), several keys reach the app in one
 * chunk: "abc\r" after `/` is three characters and an Enter, and the Enter must not be lost. SGR mouse
 * reports (`ESC [ < b ; x ; y M`) are parsed here too. Pure.
 */
import type { KeyPress } from './keys.js';

export interface Keystroke {
  input: string;
  key: KeyPress;
}

const CONTROL_KEYS: Record<string, KeyPress> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\u007f': { backspace: true },
  '\b': { backspace: true },
};

/** One keystroke per character when the chunk is plain text with Enter/Tab/Backspace in it. */
export function splitChunk(input: string, key: KeyPress): Keystroke[] {
  if (key.ctrl || key.meta || input.length <= 1) return [{ input, key }];
  const chars = Array.from(input);
  // eslint-disable-next-line no-control-regex
  if (!chars.every((char) => CONTROL_KEYS[char] || !/[\u0000-\u001f\u007f]/.test(char)))
    return [{ input, key }];
  return chars.map((char) => {
    const control = CONTROL_KEYS[char];
    return control ? { input: '', key: control } : { input: char, key: {} };
  });
}

export type MouseReport =
  | { kind: 'wheel'; delta: -1 | 1; column: number; row: number }
  | { kind: 'press'; button: number; column: number; row: number }
  | { kind: 'release'; column: number; row: number };

// Ink hands the sequence over without its ESC; accept it either way. Columns and rows are 1-based.
// eslint-disable-next-line no-control-regex
const SGR_MOUSE = /^\u001b?\[<(\d+);(\d+);(\d+)([Mm])$/;

export function parseMouse(input: string): MouseReport | null {
  const match = SGR_MOUSE.exec(input);
  if (!match) return null;
  const code = Number(match[1]);
  const column = Number(match[2]) - 1;
  const row = Number(match[3]) - 1;
  if (match[4] === 'm') return { kind: 'release', column, row };
  // Bit 6 marks the wheel (64 up, 65 down); bit 5 a motion report; the low two bits the button.
  if (code & 64) return { kind: 'wheel', delta: (code & 1) === 1 ? 1 : -1, column, row };
  if (code & 32) return null;
  return { kind: 'press', button: code & 3, column, row };
}

/** Mouse reporting: clicks and wheel (1000) in SGR form (1006), which has no 223-column limit. */
export const MOUSE_ON = '\u001b[?1000h\u001b[?1006h';
export const MOUSE_OFF = '\u001b[?1006l\u001b[?1000l';
