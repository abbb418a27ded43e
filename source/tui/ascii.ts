/**
 * `--ascii`: every glyph the TUI (or the text it shows) draws has a plain ASCII stand-in, so an
 * ASCII-only terminal reads "a - b", never "a ? b". Letters with accents lose them (é → e); what has
 * no stand-in at all (another script, an emoji) becomes "?".
 */
export const ASCII_REPLACEMENTS: Readonly<Record<string, string>> = {
  '·': '-',
  '…': '...',
  '⋯': '...',
  '—': '--',
  '–': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '«': '"',
  '»': '"',
  '→': '->',
  '←': '<-',
  '↑': '^',
  '↓': 'v',
  '×': 'x',
  '≥': '>=',
  '≤': '<=',
  '≈': '~',
  '±': '+/-',
  '•': '*',
  '●': '*',
  '○': 'o',
  '◐': '~',
  '■': '#',
  '✓': '+',
  '✔': '+',
  '✗': 'x',
  '✘': 'x',
  '⚠': '!',
  ℹ: 'i',
  '›': '>',
  '‹': '<',
  '⏸': '||',
  '│': '|',
  '─': '-',
  '┃': '|',
  '━': '-',
  '▁': '_',
  '▂': '.',
  '▃': ':',
  '▄': '-',
  '▅': '=',
  '▆': '+',
  '▇': '*',
  '█': '#',
  '°': 'deg',
  '€': 'EUR',
  '£': 'GBP',
  '\u00a0': ' ',
};

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/gu;

export function asciiSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(text)) return text;
  return text.replace(NON_ASCII, (char) => {
    const known = ASCII_REPLACEMENTS[char];
    if (known !== undefined) return known;
    // eslint-disable-next-line no-control-regex
    const bare = char.normalize('NFKD').replace(/[^\u0000-\u007f]/g, '');
    return bare !== '' ? bare : '?';
  });
}
