/**
 * Every key the TUI answers, in one table: the help overlay and the README's Keys table are made from
 * it, and a test checks that every key `keyToAction` acts on is listed here.
 */
export interface KeyDoc {
  /** As shown: `j / Down`, `Ctrl-C`. */
  keys: string;
  what: string;
}

export const KEYMAP: readonly KeyDoc[] = [
  { keys: '1-5, Tab, Shift-Tab', what: 'switch view: Events, Sessions, Health, Recovery, Troubleshoot' },
  { keys: 'j / k, Down / Up', what: 'move the selection (or scroll)' },
  { keys: 'PgDn / PgUp, Ctrl-F / Ctrl-B', what: 'a page down or up' },
  { keys: 'g / G, Home / End', what: 'first / last (G follows new events again)' },
  {
    keys: 'Enter',
    what: "Events: the whole event; Sessions: the session's detail (Enter again: its events)",
  },
  {
    keys: 'Esc',
    what: "back out: close, cancel, clear the filter; from a session's events back to Sessions",
  },
  { keys: '/', what: 'filter: keep only matching events (text, /regex/, type:X, session:X, tool:X, !term)' },
  { keys: 'f', what: 'find: highlight matching events without hiding the others (same syntax as /)' },
  { keys: 'n / N', what: 'next / previous match of the find' },
  { keys: 'b', what: 'show or fold bookkeeping events (PostToolBatch, MessageDisplay, ...)' },
  { keys: 'space, s', what: 'pause / follow (counts what arrives while paused)' },
  { keys: 'l', what: 'jump to live (resume and follow)' },
  { keys: 'c', what: 'clear the Events view (the buffer keeps the events)' },
  { keys: 'y', what: 'copy the selected event as JSON to the clipboard (OSC 52: works over SSH and tmux)' },
  { keys: 'e', what: 'export the Events view as it is filtered to an NDJSON file (the path is shown)' },
  { keys: 't', what: 'Sessions: tool statistics across sessions (t again: the list)' },
  { keys: 'mouse', what: 'wheel scrolls; a click selects a row or switches tab (off with --no-mouse)' },
  { keys: '?', what: 'this help' },
  { keys: 'q, Ctrl-C', what: 'quit' },
];

/** The README's Keys table, as markdown. */
export function keysMarkdown(): string {
  const rows = KEYMAP.map((entry) => [entry.keys.replace(/\|/g, '\\|'), entry.what] as const);
  const keyWidth = Math.max(3, ...rows.map(([keys]) => keys.length + 2));
  const whatWidth = Math.max(4, ...rows.map(([, what]) => what.length));
  const row = (keys: string, what: string) => `| ${keys.padEnd(keyWidth)} | ${what.padEnd(whatWidth)} |`;
  return [
    row('key', 'what it does'),
    `| ${'-'.repeat(keyWidth)} | ${'-'.repeat(whatWidth)} |`,
    ...rows.map(([keys, what]) => row(`\`${keys}\``, what)),
  ].join('\n');
}
