/** Help text in meow's layout (Usage, Commands/Options, Examples), derived from spec.ts. */
import { COMMANDS, GLOBAL_FLAGS, flagSpec, kebab, type CommandSpec } from './spec.js';

const pad = (text: string, width: number): string => text.padEnd(width);

function flagLabel(name: string): string {
  const spec = flagSpec(name);
  if (!spec) return `--${kebab(name)}`;
  const long = spec.negated ? `--no-${kebab(name)}` : `--${kebab(name)}`;
  const withValue = spec.value ? `${long} ${spec.value}` : long;
  return spec.short ? `${withValue}, -${spec.short}` : withValue;
}

function flagRows(names: readonly string[]): string[] {
  const labels = names.map(flagLabel);
  const width = Math.max(...labels.map((label) => label.length)) + 2;
  return names.map((name, index) => `    ${pad(labels[index]!, width)}${flagSpec(name)?.help ?? ''}`);
}

/** `mpm-mon --help`. */
export function mainHelp(): string {
  const rows = COMMANDS.filter((command) => command.name !== '').map((command) => [
    command.args ? `${command.name} ${command.args}` : command.name,
    command.summary,
  ]);
  rows.unshift(['(none)', COMMANDS.find((command) => command.name === '')!.summary]);
  rows.splice(1, 0, ['--daemon', 'run the daemon in the foreground (for tmux, SSH, systemd, launchd)']);
  const width = Math.max(...rows.map(([name]) => name!.length)) + 2;
  return [
    '',
    '  Terminal monitor for AI coding sessions: a hook, a durable daemon, and a live TUI.',
    '',
    '  Usage',
    '    $ mpm-mon [command] [options]',
    '',
    '  Commands',
    ...rows.map(([name, summary]) => `    ${pad(name!, width)}${summary}`),
    '',
    '  Options',
    ...flagRows([...GLOBAL_FLAGS, 'start', 'mouse']),
    '',
    '  Run `mpm-mon help COMMAND` (or `mpm-mon COMMAND --help`) for its options and examples.',
    "  State lives in $MPM_MON_HOME (default: the platform's state directory for mpm-mon).",
    '',
  ].join('\n');
}

/** `mpm-mon help events`, `mpm-mon events --help`. */
export function commandHelp(command: CommandSpec): string {
  const usage = command.name
    ? `$ mpm-mon ${command.name}${command.args ? ` ${command.args}` : ''} [options]`
    : '$ mpm-mon [options]';
  const lines = ['', `  ${command.summary}`];
  if (command.description) lines.push(...command.description.split('\n').map((line) => `  ${line}`));
  lines.push('', '  Usage', `    ${usage}`);
  if (command.flags.length > 0) lines.push('', '  Options', ...flagRows(command.flags));
  lines.push('', '  Global options', ...flagRows(GLOBAL_FLAGS));
  lines.push('', '  Examples', ...command.examples.map((example) => `    $ ${example}`), '');
  return lines.join('\n');
}
