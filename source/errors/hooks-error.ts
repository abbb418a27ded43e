import { MpmError } from './base.js';
import type { Guidance, Severity } from './guidance.js';

/** Claude Code does not call `mpm-mon hook` for some (or all) hook events. A warning, not a failure. */
export class HooksNotInstalledError extends MpmError implements Guidance {
  readonly explanation: string;
  readonly severity: Severity = 'warn';

  constructor(input: { missingEvents: string[]; installedScopes: string[]; settingsFiles: string[] }) {
    const { missingEvents, installedScopes } = input;
    const none = installedScopes.length === 0;
    super(
      'HOOKS_NOT_INSTALLED',
      none
        ? 'mpm-mon hooks are not installed in any Claude Code settings file'
        : `mpm-mon hooks are missing for ${missingEvents.length} event(s): ${missingEvents.join(', ')}`,
      {
        context: {
          missingEvents,
          installedScopes,
          settingsFiles: input.settingsFiles,
        },
        steps: [
          'Install the hooks for your user: `mpm-mon install-hooks` (or `mpm-mon doctor --fix --hooks`).',
          'For this project only: `mpm-mon install-hooks --scope project`; preview with `--dry-run`.',
          'Restart running Claude Code sessions: settings are read when a session starts.',
        ],
        commands: { all: ['mpm-mon install-hooks --dry-run', 'mpm-mon install-hooks'] },
      },
    );
    this.explanation = none
      ? 'Claude Code never calls mpm-mon, so no session, prompt or tool call will appear.'
      : 'Events of the missing kinds will not appear; the others do.';
  }
}
