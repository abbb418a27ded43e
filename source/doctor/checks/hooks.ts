/**
 * Claude Code calls mpm-mon: in which settings scopes, for which events, and which are missing; for
 * the http form also whether Claude Code can authenticate and reaches the daemon's real port.
 */
import { editHooks, readHookStatus, type HookStatus } from '../../claude/hook-install.js';
import { HOOK_EVENT_NAMES, type HookEventName } from '../../claude/hook-events.js';
import { SETTINGS_SCOPES } from '../../claude/settings-file.js';
import { TOKEN_ENV } from '../../claude/settings.js';
import { hookCommandProblem } from '../../claude/hook-command.js';
import { HookCommandBrokenError, HooksNotInstalledError } from '../../errors/hooks-error.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome, Repair } from '../types.js';

function hookStatuses(ctx: DoctorContext): HookStatus[] {
  const location = { home: ctx.homeDir, cwd: ctx.cwd, env: ctx.env };
  return SETTINGS_SCOPES.map((scope) => readHookStatus(scope, location));
}

export function checkHooks(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'hooks', label: 'Claude Code hooks', topic: 'hooks' as const };
  const statuses = hookStatuses(ctx);
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
  const skippedHttp = [
    ...new Set(statuses.flatMap((status) => ('inspection' in status ? status.inspection.skippedHttp : []))),
  ].filter((event) => !installed.has(event));
  const files = statuses.map((status) => status.path);
  const commands = [
    ...new Set(statuses.flatMap((status) => ('inspection' in status ? status.inspection.commands : []))),
  ];
  const notRunning = commands
    .map((command) => ({ command, problem: hookCommandProblem(command, ctx.env) }))
    .filter((entry): entry is { command: string; problem: string } => entry.problem !== null);
  const details = {
    scopes,
    installed: [...installed],
    missing,
    skippedHttp,
    files,
    broken,
    disabledIn,
    commands,
  };
  const repair: Repair = {
    description: 'install the mpm-mon hooks for every event in your user settings',
    gate: 'hooks',
    run: () => {
      try {
        const outcome = editHooks('install', {
          scope: 'user',
          home: ctx.homeDir,
          cwd: ctx.cwd,
          env: ctx.env,
        });
        return Promise.resolve(`mpm-mon hooks installed in ${outcome.path} (scope ${outcome.scope}).`);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
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
  const [stale] = notRunning;
  if (stale) {
    const error = new HookCommandBrokenError({ ...stale, settingsFiles: files });
    return Promise.resolve({
      ...base,
      status: 'fail',
      message: error.message,
      fix: 'run `mpm-mon install-hooks` again from where mpm-mon is now (or `mpm-mon doctor --fix --hooks`)',
      error,
      details,
      repair,
    });
  }
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
        : `missing for ${missing.join(', ')} (installed in ${scopes.join(', ')})${
            skippedHttp.length > 0
              ? `; Claude Code never sends ${skippedHttp.join(', ')} to an http hook: run install-hooks --http again`
              : ''
          }`,
    fix: '`mpm-mon install-hooks` (or `mpm-mon doctor --fix --hooks`)',
    error,
    details,
    repair,
  });
}

function portOf(url: string): number | null {
  try {
    const parsed = new URL(url);
    return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  } catch {
    return null;
  }
}

/**
 * The http form fails silently: Claude Code posts with the token from `$MPM_MON_TOKEN` (unset: every
 * POST is refused 401) to a fixed URL (a daemon on another port never hears it). Doctor runs in the
 * user's shell, which is where Claude Code gets its environment from when started there.
 */
export async function checkHttpHooks(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'hooks-http', label: 'Claude Code http hooks', topic: 'hooks' as const };
  const urls = [
    ...new Set(
      hookStatuses(ctx).flatMap((status) => ('inspection' in status ? status.inspection.httpUrls : [])),
    ),
  ];
  if (urls.length === 0) return { ...base, status: 'pass', message: 'not used (command hooks only)' };
  const problems: string[] = [];
  const fixes: string[] = [];
  const variable = ctx.env[TOKEN_ENV];
  const token = ctx.token();
  if (!variable) {
    problems.push(
      `$${TOKEN_ENV} is not set here: Claude Code started from this shell sends no token and every event is refused (401)`,
    );
    fixes.push(`export ${TOKEN_ENV}="$(cat '${ctx.paths.tokenFile}')" before starting claude`);
  } else if (token !== null && variable.trim() !== token) {
    problems.push(`$${TOKEN_ENV} is not the daemon's token: every event Claude Code posts is refused (401)`);
    fixes.push(`export ${TOKEN_ENV}="$(cat '${ctx.paths.tokenFile}')" again (the token changed)`);
  }
  const daemon = await ctx.daemon();
  const ports = urls.map(portOf);
  if (daemon.from === 'pid-file' && daemon.pid !== null && ports.some((port) => port !== daemon.port)) {
    problems.push(
      `the http hooks post to ${urls.join(', ')} but the daemon listens on port ${daemon.port}: Claude Code's events go nowhere`,
    );
    fixes.push(
      `run \`mpm-mon install-hooks --http\` again (it uses the running daemon's port), or give the daemon a fixed port`,
    );
  }
  const details = {
    urls,
    tokenVariable: TOKEN_ENV,
    tokenVariableSet: Boolean(variable),
    daemonPort: daemon.port,
  };
  if (problems.length === 0)
    return { ...base, status: 'pass', message: `${urls.join(', ')} with $${TOKEN_ENV} set`, details };
  return { ...base, status: 'warn', message: problems.join('; '), fix: fixes.join('; '), details };
}
