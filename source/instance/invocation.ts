/**
 * How to run this mpm-mon where the user is: `mpm-mon` when the one on PATH is this installation,
 * else the command that does run it (`npx mpm-mon` from npx's cache, otherwise node and the real path),
 * with a one-line way to put it on PATH. Every hint shown to the user goes through errors/localize.ts.
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, dirname, join, sep } from 'node:path';
import { cliScriptPath } from './installation.js';

export interface Invocation {
  /** What to type for `mpm-mon …` here. */
  command: string;
  /** The `mpm-mon` on PATH is this installation. */
  onPath: boolean;
  /** One line that puts this installation on PATH (null when it is there, or unknown). */
  putOnPath: string | null;
}


/** The first executable `name` on PATH, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const names = process.platform === 'win32' ? [`${name}.cmd`, `${name}.exe`] : [name];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const candidate of names) {
      const path = join(dir, candidate);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return null;
}

function realpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

const quote = (path: string): string => (/^[\w@%+=:,./-]+$/.test(path) ? path : `"${path}"`);

export function invocation(env: NodeJS.ProcessEnv = process.env, cliScript = cliScriptPath()): Invocation {
  const found = findOnPath('mpm-mon', env);
  if (cliScript === null) return { command: 'mpm-mon', onPath: found !== null, putOnPath: null };
  const ours = realpath(cliScript);
  if (found && ours !== null && realpath(found) === ours)
    return { command: 'mpm-mon', onPath: true, putOnPath: null };
  // dist/cli.js (built) or cli.tsx's folder (source): the package is the folder above dist.
  const root = dirname(cliScript).endsWith(`${sep}dist`) ? dirname(dirname(cliScript)) : dirname(cliScript);
  const viaNpx = cliScript.includes(`${sep}_npx${sep}`);
  return {
    command: viaNpx ? 'npx mpm-mon' : `node ${quote(cliScript)}`,
    onPath: false,
    putOnPath: `npm install -g ${quote(root)}`,
  };
}
