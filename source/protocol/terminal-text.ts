/**
 * Terminal-safe text: event strings are producer data, and a terminal obeys escape sequences in what it
 * prints (an OSC in a `cwd` retitles the pane, a CSI moves the cursor, C1 controls do the same in
 * one byte). Every string from an event goes through this before the TUI or plain output shows it.
 * Newlines and tabs stay (they are layout, not commands); every other C0/C1 control and every escape
 * sequence (CSI, OSC, DCS, SOS, PM, APC, in their 7-bit and 8-bit forms) is removed whole.
 */

// An unterminated string sequence runs to the end of the text, as it would on a terminal.
const SEQUENCE = new RegExp(
  [
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?`,
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?`,
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]?`,
  ].join('|'),
  'g',
);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

export function terminalSafe(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(SEQUENCE, '').replace(CONTROLS, '');
}

/** A copy of a JSON-like value with every string (keys too) made terminal-safe; unchanged parts shared. */
export function terminalSafeValue<T>(value: T): T {
  return clean(value) as T;
}

// A flood brings thousands of clean events a second: nothing is copied until something changes.
function clean(value: unknown): unknown {
  if (typeof value === 'string') return terminalSafe(value);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const next = clean(item);
      if (next !== item && out === null) out = value.slice(0, index);
      if (out !== null) out.push(next);
    }
    return out ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    let out: Array<readonly [string, unknown]> | null = null;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      const item = record[key];
      const safeKey = terminalSafe(key);
      const next = clean(item);
      if ((next !== item || safeKey !== key) && out === null)
        out = keys.slice(0, index).map((kept) => [kept, record[kept]] as const);
      if (out !== null) out.push([safeKey, next]);
    }
    return out === null ? value : Object.fromEntries(out);
  }
  return value;
}
