import { MpmError } from './base.js';
import { installNodeCommands, perPlatform } from './platform-commands.js';
import type { Guidance, Severity } from './guidance.js';

/** The Node.js running mpm-mon is older than the one it needs. */
export class UnsupportedNodeError extends MpmError implements Guidance {
  readonly explanation = 'mpm-mon uses APIs of newer Node.js versions and may crash or misbehave.';
  readonly severity: Severity = 'fail';

  constructor(input: { found: string; requiredMajor: number; execPath?: string }) {
    const major = input.requiredMajor;
    super('NODE_UNSUPPORTED', `Node.js ${input.found} is too old: mpm-mon needs Node.js ${major} or newer`, {
      context: { found: input.found, required: `>=${major}`, execPath: input.execPath },
      steps: [
        `Install Node.js ${major} or newer (LTS), with your version manager or the installer from nodejs.org.`,
        'Reinstall mpm-mon with that Node.js (`npm install -g mpm-mon`) so that it runs with it.',
      ],
      commands: {
        all: ['node --version'],
        ...perPlatform((platform) => installNodeCommands(platform, major)),
      },
    });
  }
}
