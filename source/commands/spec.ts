/**
 * The command line's vocabulary, in one place: every flag (its type, value and help line) and every
 * command (its flags, summary and examples). Parsing, did-you-mean and help are all derived from it.
 */

export interface FlagSpec {
  /** As meow names it (camelCase); on the command line it is kebab-case. */
  name: string;
  type: 'boolean' | 'string';
  short?: string;
  /** The placeholder in help (`--port N`). */
  value?: string;
  help: string;
  /** A boolean shown as `--no-NAME` in help (its default is on). */
  negated?: boolean;
}

export interface CommandSpec {
  /** '' is the TUI (no command). */
  name: string;
  summary: string;
  /** A longer description for `mpm-mon help NAME`. */
  description?: string;
  /** Flags this command takes besides the global ones. */
  flags: string[];
  examples: string[];
  /** Positional arguments in the usage line. */
  args?: string;
}

export const FLAGS: readonly FlagSpec[] = [
  { name: 'port', type: 'string', value: 'N', help: 'daemon port (default 8765; MPM_MON_PORT)' },
  { name: 'host', type: 'string', value: 'ADDR', help: 'daemon address (default 127.0.0.1; MPM_MON_HOST)' },
  { name: 'json', type: 'boolean', help: 'machine-readable output (NDJSON for streams)' },
  { name: 'color', type: 'boolean', negated: true, help: 'no colour (also NO_COLOR)' },
  { name: 'ascii', type: 'boolean', help: 'ASCII-only drawing' },
  { name: 'verbose', type: 'boolean', help: 'more detail (and stack traces)' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show help (also `mpm-mon help COMMAND`)' },
  { name: 'version', type: 'boolean', short: 'v', help: 'print the version' },
  { name: 'daemon', type: 'boolean', help: 'run the daemon in the foreground' },
  { name: 'start', type: 'boolean', help: 'start the daemon (--no-start: refuse to)' },
  { name: 'mouse', type: 'boolean', negated: true, help: 'no mouse reporting' },
  {
    name: 'notify',
    type: 'boolean',
    help: 'ring the bell when a session starts waiting for you (config notify: bell | osc9 | osc777)',
  },
  { name: 'logLevel', type: 'string', value: 'L', help: 'debug | info | warn | error' },
  { name: 'scope', type: 'string', value: 'S', help: 'user | project | local (default user)' },
  { name: 'dryRun', type: 'boolean', help: 'show what would change, write nothing' },
  { name: 'http', type: 'boolean', help: "register Claude Code's http hook form (user scope only)" },
  { name: 'follow', type: 'boolean', short: 'f', help: 'keep streaming new events' },
  {
    name: 'since',
    type: 'string',
    value: 'WHEN',
    help: 'after a seq, a duration ago (10m, 2h) or an ISO time',
  },
  { name: 'until', type: 'string', value: 'WHEN', help: 'up to a seq, a duration ago or an ISO time' },
  { name: 'last', type: 'string', value: 'N', help: 'the last N matching events (default 100)' },
  { name: 'session', type: 'string', value: 'ID', help: 'only this session (an ID or its prefix)' },
  { name: 'type', type: 'string', value: 'NAME', help: 'only this hook event type (any case)' },
  { name: 'fix', type: 'boolean', help: 'repair what is safe to repair' },
  { name: 'hooks', type: 'boolean', help: '(with --fix) install missing hooks' },
];

/** Flags every command takes. */
export const GLOBAL_FLAGS = ['port', 'host', 'json', 'color', 'ascii', 'verbose', 'help', 'version'];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: '',
    summary: 'live TUI attached to the daemon (starts it in the background if none runs)',
    description:
      'When stdout is not a terminal it prints the live event stream as lines instead (NDJSON with --json).',
    flags: ['daemon', 'start', 'mouse', 'notify', 'logLevel'],
    examples: ['mpm-mon', 'mpm-mon --no-start --ascii', 'mpm-mon --json | jq .type'],
  },
  {
    name: 'start',
    summary: 'start the daemon in the background; returns once /health answers',
    flags: ['logLevel'],
    examples: ['mpm-mon start', 'mpm-mon start --port 9000'],
  },
  {
    name: 'stop',
    summary: 'stop the daemon gracefully',
    flags: [],
    examples: ['mpm-mon stop'],
  },
  {
    name: 'restart',
    summary: 'stop, then start',
    flags: ['logLevel'],
    examples: ['mpm-mon restart'],
  },
  {
    name: 'status',
    summary: 'one-screen summary (exit 0 running, 3 not running)',
    flags: [],
    examples: ['mpm-mon status', 'mpm-mon status --json'],
  },
  {
    name: 'doctor',
    summary: 'diagnose why it is not working (--fix repairs what is safe)',
    description: 'Exit 0 when nothing failed (warnings allowed), else 1.',
    flags: ['fix', 'start', 'hooks'],
    examples: ['mpm-mon doctor', 'mpm-mon doctor --port 9000', 'mpm-mon doctor --fix --hooks'],
  },
  {
    name: 'events',
    summary: 'query stored events or follow them live',
    description:
      'Filters (--type, --session, --since, --until) run over the whole stored history first, then --last.\n' +
      'With the daemon down, the journal on disk is read (and stderr says so).',
    flags: ['follow', 'since', 'until', 'last', 'session', 'type'],
    examples: [
      'mpm-mon events --last 20',
      'mpm-mon events --since 10m --type pretooluse',
      'mpm-mon events --session 3f2a --json | jq .tool',
      'mpm-mon events --follow',
    ],
  },
  {
    name: 'sessions',
    summary: 'one row per Claude Code session (--json: one object per line; --session ID: its detail)',
    flags: ['session'],
    examples: ['mpm-mon sessions', 'mpm-mon sessions --json', 'mpm-mon sessions --session 3f2a'],
  },
  {
    name: 'hook',
    summary: 'the Claude Code hook command (reads one event on stdin; always exit 0)',
    flags: [],
    examples: ['echo \'{"hook_event_name":"Stop","session_id":"s1"}\' | mpm-mon hook'],
  },
  {
    name: 'install-hooks',
    summary: "register mpm-mon's hook in Claude Code's settings.json",
    flags: ['scope', 'dryRun', 'http'],
    examples: ['mpm-mon install-hooks --dry-run', 'mpm-mon install-hooks --scope project'],
  },
  {
    name: 'uninstall-hooks',
    summary: 'remove it again (gives back the file as it was)',
    flags: ['scope', 'dryRun'],
    examples: ['mpm-mon uninstall-hooks'],
  },
  {
    name: 'help',
    summary: 'help for mpm-mon or one command',
    args: '[command]',
    flags: [],
    examples: ['mpm-mon help events'],
  },
];

export function flagSpec(name: string): FlagSpec | undefined {
  return FLAGS.find((flag) => flag.name === name);
}

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

export const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
export const camel = (name: string): string =>
  name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
