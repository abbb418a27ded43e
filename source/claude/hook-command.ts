/**
 * Whether a hook command of ours still runs here: `mpm-mon hook` needs an `mpm-mon` on PATH; the
 * long form (`"/path/node" "/path/dist/mpm-mon.cjs" hook`) needs both files where the command says.
 * A moved or deleted checkout breaks the long form silently: Claude Code's every hook fails.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { findOnPath } from '../instance/invocation.js';

/** The words of a command line: double or single quotes group, nothing else is interpreted. */
export function commandWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

/** Why the command cannot run here, or null when it can (as far as files and PATH tell). */
export function hookCommandProblem(
  command: string,
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean = existsSync,
): string | null {
  const [program, ...args] = commandWords(command);
  if (program === undefined) return 'the command is empty';
  if (!isAbsolute(program) && !program.includes('/') && !program.includes('\\')) {
    return findOnPath(program, env) === null ? `\`${program}\` is not on PATH (${command})` : null;
  }
  const missing = [program, ...args.filter((arg) => isAbsolute(arg))].filter((path) => !exists(path));
  return missing.length === 0
    ? null
    : `${missing.join(' and ')} ${missing.length === 1 ? 'does' : 'do'} not exist (moved or removed?)`;
}
