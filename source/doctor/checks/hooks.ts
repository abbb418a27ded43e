/** Claude Code calls `mpm-mon hook`: in which settings scopes, for which events, and which are missing. */
import { readHookStatus, runInstallHooks, SETTINGS_SCOPES } from '../../commands/install-hooks.js';
import { HooksNotInstalledError } from '../../errors/hooks-error.js';
import { HOOK_EVENT_NAMES, type HookEventName } from '../../protocol/event.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome, Repair } from '../types.js';

export function checkHooks(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'hooks', label: 'Claude Code hooks', topic: 'hooks' as const };
  const location = { home: ctx.homeDir, cwd: ctx.cwd, env: ctx.env };
  const statuses = SETTINGS_SCOPES.map((scope) => readHookStatus(scope, location));
  const installed = new Set<HookEventName>();
  const scopes: string[] = [];
  const broken: string[] = [];
  const disabledIn: string[] = [];
  for (const status of statuses) {
    if ('error' in status) {
      broken.push(`${status.path}: ${status.error.message}`);
      continue;
    }
    if (status.inspection.disabled) disabledIn.push(status.path);
    if (status.inspection.installed.length > 0)
      scopes.push(`${status.scope} (${status.inspection.form ?? '?'})`);
    for (const event of status.inspection.installed) installed.add(event);
  }
  const missing = HOOK_EVENT_NAMES.filter((event) => !installed.has(event));
  const files = statuses.map((status) => status.path);
  const details = { scopes, installed: [...installed], missing, files, broken, disabledIn };
  const repair: Repair = {
    description: 'install the mpm-mon hooks for every event in your user settings',
    gate: 'hooks',
    run: () => {
      let output = '';
      const code = runInstallHooks({
        scope: 'user',
        home: ctx.homeDir,
        cwd: ctx.cwd,
        env: ctx.env,
        stdout: (text) => (output += text),
        stderr: (text) => (output += text),
      });
      if (code !== 0) return Promise.reject(new Error(output.trim() || 'install-hooks failed'));
      return Promise.resolve(output.trim().split('\n')[0] ?? 'hooks installed');
    },
  };
  if (broken.length > 0)
    return Promise.resolve({
      ...base,
      status: 'warn',
      message: `cannot read ${broken.length} settings file${broken.length === 1 ? '' : 's'}: ${broken[0]}`,
      fix: 'fix the JSON in that file (Claude Code cannot read it either)',
      details,
    });
  if (disabledIn.length > 0)
    return Promise.resolve({
      ...base,
      status: 'warn',
      message: `"disableAllHooks": true in ${disabledIn.join(', ')} turns every hook off`,
      fix: 'remove "disableAllHooks" from that file',
      details,
    });
  if (missing.length === 0)
    return Promise.resolve({
      ...base,
      status: 'pass',
      message: `installed for all ${HOOK_EVENT_NAMES.length} events in ${scopes.join(', ')}`,
      details,
    });
  const error = new HooksNotInstalledError({
    missingEvents: missing,
    installedScopes: scopes,
    settingsFiles: files,
  });
  return Promise.resolve({
    ...base,
    status: 'warn',
    message:
      installed.size === 0
        ? 'not installed in any Claude Code settings file'
        : `missing for ${missing.join(', ')} (installed in ${scopes.join(', ')})`,
    fix: 'mpm-mon install-hooks (or `mpm-mon doctor --fix --hooks`)',
    error,
    details,
    repair,
  });
}
