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

/** Our hook command no longer runs here: the checkout moved, or `mpm-mon` left PATH. Every hook fails. */
export class HookCommandBrokenError extends MpmError implements Guidance {
  readonly explanation =
    'Claude Code runs this command for every event and it fails, so no event reaches mpm-mon (not even the spool).';

  constructor(input: { command: string; problem: string; settingsFiles: string[] }) {
    super('HOOKS_COMMAND_BROKEN', `the hook command no longer runs: ${input.problem}`, {
      context: { command: input.command, settingsFiles: input.settingsFiles },
      steps: [
        'Register the hooks again from where mpm-mon is now: `mpm-mon install-hooks` (it replaces the old entries).',
        'To keep them working through moves and upgrades, put mpm-mon on PATH first: the hooks then run `mpm-mon hook`.',
        'Restart running Claude Code sessions: settings are read when a session starts.',
      ],
      commands: { all: ['mpm-mon install-hooks --dry-run', 'mpm-mon install-hooks'] },
    });
  }
}
