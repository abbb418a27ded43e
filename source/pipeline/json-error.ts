/**
 * Finds where JSON text stops being valid. V8's own message quotes the input (which may hold a
 * secret) and only sometimes gives a position, so refusals are worded from this scan instead.
 * Iterative (no recursion), linear in the text, and only run after JSON.parse has failed.
 */
export interface JsonErrorLocation {
  /** Offset in UTF-16 code units, as JSON.parse counts. */
  position: number;
  line: number;
  column: number;
  problem: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS = ['true', 'false', 'null'];

type Expect = 'value' | 'key' | 'colon' | 'comma-or-close' | 'end';

export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const stack: Array<'{' | '['> = [];
  let i = 0;
  let expect: Expect = 'value';
  /** True right after `[` or `{`, where a closing bracket may directly follow. */
  let justOpened = false;

  const fail = (position: number, problem: string): JsonErrorLocation => ({
    position,
    ...lineAndColumn(text, position),
    problem,
  });
  const unexpected = (position: number, wanted: string): JsonErrorLocation =>
    position >= text.length
      ? fail(position, `unexpected end of input; expected ${wanted}`)
      : fail(position, `unexpected ${showChar(text[position]!)}; expected ${wanted}`);

  for (;;) {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
    const char = text[i];
    const top = stack[stack.length - 1];
    if (expect === 'end') {
      return char === undefined ? undefined : unexpected(i, 'nothing after the JSON value');
    }
    if (expect === 'comma-or-close' || justOpened) {
      const close = top === '{' ? '}' : ']';
      if (char === close) {
        stack.pop();
        i++;
        justOpened = false;
        expect = stack.length === 0 ? 'end' : 'comma-or-close';
        continue;
      }
      if (expect === 'comma-or-close') {
        if (char !== ',') return unexpected(i, `',' or '${close}'`);
        i++;
        expect = top === '{' ? 'key' : 'value';
        continue;
      }
    }
    justOpened = false;
    if (expect === 'colon') {
      if (char !== ':') return unexpected(i, "':' after the property name");
      i++;
      expect = 'value';
      continue;
    }
    if (expect === 'key') {
      if (char !== '"') return unexpected(i, 'a property name in double quotes');
      const end = scanString(text, i);
      if (typeof end !== 'number') return fail(end.position, end.problem);
      i = end;
      expect = 'colon';
      continue;
    }
    // expect === 'value'
    if (char === '{' || char === '[') {
      stack.push(char);
      i++;
      justOpened = true;
      expect = char === '{' ? 'key' : 'value';
      continue;
    }
    let end: number | { position: number; problem: string };
    if (char === '"') end = scanString(text, i);
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      NUMBER.lastIndex = i;
      end = NUMBER.test(text) ? NUMBER.lastIndex : { position: i + 1, problem: 'malformed number' };
    } else {
      const literal = LITERALS.find((word) => text.startsWith(word, i));
      if (literal === undefined) return unexpected(i, 'a JSON value');
      end = i + literal.length;
    }
    if (typeof end !== 'number') return fail(end.position, end.problem);
    i = end;
    expect = stack.length === 0 ? 'end' : 'comma-or-close';
  }
}

/** Returns the offset after the closing quote, or where the string went wrong. */
function scanString(text: string, start: number): number | { position: number; problem: string } {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { position: i, problem: 'control character in a string (escape it)' };
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { position: i, problem: 'bad \\u escape in a string' };
        }
        i += 6;
        continue;
      }
      if (next === undefined || !'"\\/bfnrt'.includes(next)) {
        return { position: i, problem: 'bad escape in a string' };
      }
      i += 2;
      continue;
    }
    i++;
  }
  return { position: text.length, problem: 'unterminated string' };
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: position - lineStart + 1 };
}

function showChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0')}`;
  return `character ${JSON.stringify(char)}`;
}
