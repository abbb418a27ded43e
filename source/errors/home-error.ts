import { statSync } from 'node:fs';
import { MpmError } from './base.js';
import type { Guidance, Severity } from './guidance.js';
import {
  diskSpaceCommands,
  makeWritableDirCommands,
  perPlatform,
  showPermissionsCommands,
} from './platform-commands.js';

export type HomeProblem =
  'missing' | 'not-a-directory' | 'not-writable' | 'no-space' | 'not-owned' | 'symlink';

/** MPM_MON_HOME cannot hold the daemon's state: missing and not creatable, a file, read-only, or full. */
export class HomeNotWritableError extends MpmError implements Guidance {
  readonly explanation: string;
  readonly severity: Severity = 'fail';

  constructor(input: { home: string; problem: HomeProblem; detail?: string; freeMb?: number }) {
    const { home, problem } = input;
    const messages: Record<HomeProblem, string> = {
      missing: `mpm-mon's home folder ${home} does not exist and cannot be created`,
      'not-a-directory': `mpm-mon's home ${home} is a file, not a folder`,
      'not-writable': `cannot write to mpm-mon's home folder ${home}`,
      'no-space': `no space left on the volume of mpm-mon's home folder ${home}`,
      'not-owned': `mpm-mon's home folder ${home} (or a file in it) belongs to another user: ${input.detail ?? ''}`,
      symlink: `mpm-mon's home folder ${home} holds a symbolic link where a file of its own belongs: ${input.detail ?? ''}`,
    };
    const fixStep =
      problem === 'no-space'
        ? 'Free space on that volume (old journal segments in its journal/ folder can be deleted).'
        : problem === 'not-a-directory'
          ? `Move the file ${home} out of the way, or point MPM_MON_HOME elsewhere.`
          : problem === 'symlink'
            ? 'Remove the link (the daemon never follows one: it could point anywhere), then start again.'
            : problem === 'not-owned'
              ? 'Only the user who owns the home may use it: point MPM_MON_HOME at a folder of your own, or have its owner hand it over (chown).'
              : `Create the folder and make it yours (commands below).`;
    super('HOME_NOT_WRITABLE', messages[problem], {
      context: { home, problem, detail: input.detail, freeMb: input.freeMb },
      steps: [
        fixStep,
        'Or set MPM_MON_HOME to a folder you own, e.g. MPM_MON_HOME=~/.mpm-mon.',
        'Run `mpm-mon doctor` to confirm.',
      ],
      commands: perPlatform((platform) => [
        ...showPermissionsCommands(platform, home),
        ...(problem === 'no-space'
          ? diskSpaceCommands(platform, home)
          : makeWritableDirCommands(platform, home)),
      ]),
    });
    this.explanation =
      'The daemon keeps its PID file, token, event journal and spool there; without it the daemon cannot ' +
      'start and hooks cannot spool events while it is down.';
  }
}

/** Whether `home` exists and is something other than a folder (the cause behind an ENOTDIR under it). */
export function homeIsAFile(home: string): boolean {
  try {
    return !statSync(home).isDirectory();
  } catch {
    return false;
  }
}
