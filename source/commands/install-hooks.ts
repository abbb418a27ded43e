/**
 * `mpm-mon install-hooks` / `uninstall-hooks`: registers (or removes) mpm-mon in Claude Code's
 * settings for every hook event (claude/hook-install does the editing), and prints what changed.
 */
import { isMpmError, renderError, type MpmError } from '../errors/base.js';
import { editHooks, type HookEditOptions, type HookEditOutcome } from '../claude/hook-install.js';
import { SettingsError } from '../claude/settings-error.js';
import type { HookChange } from '../claude/settings.js';

export interface InstallHooksOptions extends HookEditOptions {
  json?: boolean;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

function run(action: 'install' | 'uninstall', options: InstallHooksOptions): number {
  const out = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = options.stderr ?? ((text: string) => void process.stderr.write(text));
  try {
    const outcome = editHooks(action, options);
    out(options.json ? `${JSON.stringify(outcome, null, 2)}\n` : renderOutcome(outcome));
    return 0;
  } catch (error) {
    const failure: MpmError = isMpmError(error)
      ? error
      : new SettingsError('SETTINGS_WRITE_FAILED', String(error), { cause: error });
    if (options.json) out(`${JSON.stringify({ ok: false, error: failure.toJSON() }, null, 2)}\n`);
    else err(`${renderError(failure)}\n`);
    return 1;
  }
}

function list(changes: HookChange[], kind: HookChange['change']): string | null {
  const events = changes.filter((change) => change.change === kind).map((change) => change.event);
  return events.length > 0 ? `  ${`${kind}:`.padEnd(11)}${events.join(', ')}` : null;
}

function renderOutcome(outcome: HookEditOutcome): string {
  const verb = outcome.action === 'install' ? 'installed in' : 'removed from';
  const lines: string[] = [];
  if (!outcome.changed)
    lines.push(
      outcome.action === 'install'
        ? `mpm-mon hooks are already installed in ${outcome.path} (scope ${outcome.scope}); nothing to change.`
        : `no mpm-mon hooks in ${outcome.path} (scope ${outcome.scope}); nothing to change.`,
    );
  else if (outcome.dryRun)
    lines.push(
      `dry run: mpm-mon hooks would be ${verb} ${outcome.path} (scope ${outcome.scope}); nothing written.`,
    );
  else lines.push(`mpm-mon hooks ${verb} ${outcome.path} (scope ${outcome.scope}).`);
  if (outcome.changed)
    for (const kind of ['added', 'updated', 'removed', 'unchanged'] as const) {
      const line = list(outcome.changes, kind);
      if (line) lines.push(line);
    }
  if (outcome.command) lines.push(`  command:   ${outcome.command}`);
  if (outcome.url) lines.push(`  url:       ${outcome.url}`);
  if (outcome.backup) lines.push(`  backup:    ${outcome.backup}`);
  if (outcome.diff) lines.push('', outcome.diff);
  if (outcome.notes.length > 0) lines.push('', ...outcome.notes);
  return `${lines.join('\n')}\n`;
}

/** `mpm-mon install-hooks`: 0 when the hooks are (or would be) in place, 1 on an error (printed). */
export function runInstallHooks(options: InstallHooksOptions = {}): number {
  return run('install', options);
}

/** `mpm-mon uninstall-hooks`: removes only mpm-mon's entries. 0, or 1 on an error (printed). */
export function runUninstallHooks(options: InstallHooksOptions = {}): number {
  return run('uninstall', options);
}
