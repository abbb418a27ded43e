/** Colours and symbols, with a no-colour and an ASCII-only variant. */
export type ColorName = 'green' | 'yellow' | 'red' | 'cyan' | 'blue' | 'magenta' | 'gray' | 'white';

export interface Symbols {
  connected: string;
  connecting: string;
  reconnecting: string;
  stopped: string;
  pass: string;
  warn: string;
  fail: string;
  info: string;
  ellipsis: string;
  separator: string;
  selected: string;
  paused: string;
  running: string;
  down: string;
  match: string;
}

export interface Theme {
  color: boolean;
  ascii: boolean;
  symbols: Symbols;
}

const UNICODE: Symbols = {
  connected: '●',
  connecting: '○',
  reconnecting: '◐',
  stopped: '■',
  pass: '✓',
  warn: '⚠',
  fail: '✗',
  info: 'ℹ',
  ellipsis: '…',
  separator: '│',
  selected: '›',
  paused: '⏸',
  running: '⋯',
  down: '↓',
  match: '*',
};

const ASCII: Symbols = {
  connected: '*',
  connecting: 'o',
  reconnecting: '~',
  stopped: '#',
  pass: '+',
  warn: '!',
  fail: 'x',
  info: 'i',
  ellipsis: '...',
  separator: '|',
  selected: '>',
  paused: '||',
  running: '...',
  down: 'v',
  match: '*',
};

export function makeTheme(options: { color: boolean; ascii: boolean }): Theme {
  return { color: options.color, ascii: options.ascii, symbols: options.ascii ? ASCII : UNICODE };
}

const TYPE_COLORS: Record<string, ColorName> = {
  PreToolUse: 'cyan',
  PostToolUse: 'blue',
  UserPromptSubmit: 'green',
  Notification: 'yellow',
  SessionStart: 'magenta',
  SessionEnd: 'magenta',
  Stop: 'gray',
  SubagentStop: 'gray',
  PreCompact: 'yellow',
};

export function typeColor(type: string): ColorName {
  return TYPE_COLORS[type] ?? 'white';
}

const SHORT_TYPES: Record<string, string> = {
  PreToolUse: 'Pre',
  PostToolUse: 'Post',
  UserPromptSubmit: 'Prompt',
  Notification: 'Notify',
  SessionStart: 'Start',
  SessionEnd: 'End',
  Stop: 'Stop',
  SubagentStop: 'SubStop',
  PreCompact: 'Compact',
};

export function shortType(type: string): string {
  return SHORT_TYPES[type] ?? type;
}

export function statusColor(status: 'pass' | 'warn' | 'fail' | 'info'): ColorName {
  return status === 'pass' ? 'green' : status === 'warn' ? 'yellow' : status === 'fail' ? 'red' : 'cyan';
}

export function statusSymbol(theme: Theme, status: 'pass' | 'warn' | 'fail' | 'info'): string {
  return theme.symbols[status];
}
