/**
 * Reads the command line's shape before meow parses values: which command, and whether every flag is
 * one that command takes. Pure, so did-you-mean is tested without spawning anything.
 */
import { closest } from './suggest.js';
import {
  COMMANDS,
  FLAGS,
  GLOBAL_FLAGS,
  camel,
  commandSpec,
  flagSpec,
  kebab,
  type CommandSpec,
} from './spec.js';

export type ArgvProblem =
  | { kind: 'unknown-command'; command: string; suggestion: string | null }
  | { kind: 'unknown-flag'; flag: string; suggestion: string | null; command: string }
  | { kind: 'flag-elsewhere'; flag: string; command: string; owners: string[] };

export interface ArgvShape {
  /** '' for the TUI; '--daemon' when --daemon is given. */
  command: string;
  positionals: string[];
  problem: ArgvProblem | null;
}

interface Token {
  /** As typed, for messages (`--folow`, `-x`). */
  text: string;
  /** camelCase name, without a `no-` prefix. */
  name: string;
  /** For short flags: the letter. */
  short?: string;
  /** The value rides in the same token (`--port=9000`). */
  inline: boolean;
}

function flagTokens(argv: readonly string[]): { flags: Token[]; positionals: string[] } {
  const flags: Token[] = [];
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [raw = '', ...rest] = arg.slice(2).split('=');
      let name = camel(raw);
      if (raw.startsWith('no-') && flagSpec(camel(raw.slice(3)))?.type === 'boolean')
        name = camel(raw.slice(3));
      flags.push({ text: `--${raw}`, name, inline: rest.length > 0 });
      if (rest.length === 0 && flagSpec(name)?.type === 'string') index += 1;
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      for (const letter of arg.slice(1)) {
        const spec = FLAGS.find((flag) => flag.short === letter);
        flags.push({ text: `-${letter}`, name: spec?.name ?? '', short: letter, inline: false });
      }
    } else {
      positionals.push(arg);
    }
  }
  return { flags, positionals };
}

export function flagsOf(command: CommandSpec): string[] {
  return [...GLOBAL_FLAGS, ...command.flags];
}

export function readArgv(argv: readonly string[]): ArgvShape {
  const { flags, positionals } = flagTokens(argv);
  const daemon = flags.some((flag) => flag.name === 'daemon');
  const command = daemon ? '--daemon' : (positionals[0] ?? '');
  const spec = commandSpec(daemon ? '' : command);
  if (!spec) {
    const names = COMMANDS.map((entry) => entry.name);
    return {
      command,
      positionals,
      problem: { kind: 'unknown-command', command, suggestion: closest(command, names) },
    };
  }
  const allowed = flagsOf(spec);
  for (const flag of flags) {
    if (allowed.includes(flag.name)) continue;
    if (flagSpec(flag.name) && !flag.short) {
      const owners = COMMANDS.filter((entry) => entry.flags.includes(flag.name)).map((entry) => entry.name);
      return { command, positionals, problem: { kind: 'flag-elsewhere', flag: flag.text, command, owners } };
    }
    const suggestion = flag.short ? null : closest(kebab(flag.name), allowed.map(kebab));
    return {
      command,
      positionals,
      problem: {
        kind: 'unknown-flag',
        flag: flag.text,
        suggestion: suggestion && `--${suggestion}`,
        command,
      },
    };
  }
  return { command, positionals, problem: null };
}

/** The message for a problem: what was wrong and what to type instead. */
export function describeProblem(problem: ArgvProblem, invoke = 'mpm-mon'): string {
  switch (problem.kind) {
    case 'unknown-command':
      return (
        `mpm-mon: unknown command "${problem.command}".` +
        (problem.suggestion ? ` Did you mean \`${problem.suggestion}\`?` : '') +
        `\nRun \`${invoke} --help\` for the list of commands.`
      );
    case 'unknown-flag':
      return (
        `mpm-mon: unknown option ${problem.flag}.` +
        (problem.suggestion ? ` Did you mean ${problem.suggestion}?` : '') +
        `\nRun \`${helpCommand(problem.command, invoke)}\` for the options.`
      );
    case 'flag-elsewhere': {
      const name = problem.command === '' || problem.command === '--daemon' ? 'mpm-mon' : problem.command;
      const owners = problem.owners.map((owner) => (owner === '' ? 'mpm-mon (the TUI)' : owner)).join(', ');
      return (
        `mpm-mon: ${problem.flag} does not apply to ${name}; it is an option of ${owners}.` +
        `\nRun \`${helpCommand(problem.command, invoke)}\` for the options.`
      );
    }
  }
}

function helpCommand(command: string, invoke: string): string {
  return command && command !== '--daemon' ? `${invoke} ${command} --help` : `${invoke} --help`;
}
