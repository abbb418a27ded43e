/**
 * `mpm-mon install-hooks` / `uninstall-hooks`: registers (or removes) mpm-mon in Claude Code's
 * settings for every hook event, merging with what is there. Writes are atomic (temp + rename,
 * through a symlinked settings file to its target) and preceded by a backup; `--dry-run` writes nothing.
 *
 * Which command gets registered: `mpm-mon hook` when an `mpm-mon` executable is on PATH (survives
 * upgrades and reinstalls); otherwise the absolute `"<node>" "<…/dist/cli.js>" hook` of this
 * installation, so hooks work from a checkout or an npx cache too. `--http` registers Claude Code's
 * http form instead (no process per event), at user scope only: the header names `$MPM_MON_TOKEN`,
 * never the token itself, and a project file is no place for even that.
 */
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homePaths, resolveHome } from '../config/home.js';
import { isMpmError, renderError, type MpmError } from '../errors/base.js';
import { diffLines, renderDiff } from '../claude/line-diff.js';
import { SettingsError } from '../claude/settings-error.js';
import {
  commandHandler,
  detectIndent,
  formatSettings,
  httpHandler,
  inspectHooks,
  installHooks,
  parseSettings,
  uninstallHooks,
  TOKEN_ENV,
  type HookChange,
  type HookForm,
  type HookInspection,
  type OurHandler,
  type SettingsEdit,
} from '../claude/settings.js';

export type SettingsScope = 'user' | 'project' | 'local';
export const SETTINGS_SCOPES: readonly SettingsScope[] = ['user', 'project', 'local'];

export interface InstallHooksOptions {
  /** Default `user`. A string so that a CLI value can be passed through and validated here. */
  scope?: string;
  dryRun?: boolean;
  /** Register Claude Code's `http` hook form (user scope only). Ignored by uninstall. */
  http?: boolean;
  json?: boolean;
  /** Where `~` is (default: `HOME`, then the OS's idea). */
  home?: string;
  /** The project directory for project/local scope (default: the working directory). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** For `--http`: where the daemon listens (default 127.0.0.1:8765). */
  host?: string;
  port?: number;
  /** The hook command to register (default: see the top of this file). */
  command?: string;
  now?: () => Date;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

export interface SettingsLocation {
  home?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function parseScope(value: string | undefined): SettingsScope {
  const scope = value ?? 'user';
  if ((SETTINGS_SCOPES as readonly string[]).includes(scope)) return scope as SettingsScope;
  throw new SettingsError(
    'HOOKS_INVALID_SCOPE',
    `invalid --scope ${JSON.stringify(scope)}: expected one of user, project, local`,
    {
      context: { key: 'scope', value: scope, expected: SETTINGS_SCOPES.join(' | ') },
      steps: [
        'Run again with --scope user (all projects), project (.claude/settings.json, shared) or local (.claude/settings.local.json, yours only).',
      ],
    },
  );
}

/** The settings file Claude Code reads for a scope (user scope honours `CLAUDE_CONFIG_DIR`). */
export function settingsPath(scope: SettingsScope, location: SettingsLocation = {}): string {
  const env = location.env ?? process.env;
  if (scope === 'user') {
    if (env.CLAUDE_CONFIG_DIR) return join(env.CLAUDE_CONFIG_DIR, 'settings.json');
    return join(location.home ?? env.HOME ?? env.USERPROFILE ?? homedir(), '.claude', 'settings.json');
  }
  const project = join(location.cwd ?? process.cwd(), '.claude');
  return join(project, scope === 'project' ? 'settings.json' : 'settings.local.json');
}

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  const names = process.platform === 'win32' ? [`${name}.cmd`, `${name}.exe`] : [name];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const candidate of names) {
      try {
        accessSync(join(dir, candidate), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

/** This installation's launcher: `dist/mpm-mon.cjs` next to (built) or above (source) this module. */
export function findCliScript(): string | null {
  for (const relative of ['../../mpm-mon.cjs', '../../dist/mpm-mon.cjs']) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export function detectHookCommand(env: NodeJS.ProcessEnv = process.env, cliScript = findCliScript()): string {
  if (onPath('mpm-mon', env) || cliScript === null) return 'mpm-mon hook';
  return `"${process.execPath}" "${cliScript}" hook`;
}

interface Outcome {
  ok: true;
  action: 'install' | 'uninstall';
  scope: SettingsScope;
  path: string;
  form: HookForm | null;
  command?: string;
  url?: string;
  dryRun: boolean;
  changed: boolean;
  changes: HookChange[];
  backup: string | null;
  diff?: string;
  notes: string[];
}

function readSettingsText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SettingsError('SETTINGS_READ_FAILED', `cannot read ${path}: ${(error as Error).message}`, {
      context: { file: path, code: (error as NodeJS.ErrnoException).code },
      steps: [`Check that ${path} is a readable file.`],
      cause: error,
    });
  }
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Backs up `path` (if it exists) and replaces it atomically with `text`. Returns the backup path. */
function writeSettingsAtomically(
  path: string,
  text: string,
  before: string | null,
  now: Date,
): string | null {
  try {
    // Write through a symlink (dotfile managers link settings.json) rather than replacing it.
    const target = before === null ? path : realpathSync(path);
    mkdirSync(dirname(target), { recursive: true });
    let backup: string | null = null;
    let mode = 0o644;
    if (before !== null) {
      mode = statSync(target).mode & 0o777;
      backup = `${target}.bak-${timestamp(now)}`;
      for (let n = 1; existsSync(backup); n += 1) backup = `${target}.bak-${timestamp(now)}-${n}`;
      copyFileSync(target, backup, constants.COPYFILE_EXCL);
    }
    const tmp = `${target}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, text, { mode, flag: 'w' });
      renameSync(tmp, target);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    return backup;
  } catch (error) {
    if (isMpmError(error)) throw error;
    throw new SettingsError('SETTINGS_WRITE_FAILED', `cannot write ${path}: ${(error as Error).message}`, {
      context: { file: path, code: (error as NodeJS.ErrnoException).code },
      steps: [`Check the permissions of ${dirname(path)}.`, 'Nothing was changed in the settings file.'],
      cause: error,
    });
  }
}

function chooseHandler(
  options: InstallHooksOptions,
  scope: SettingsScope,
  env: NodeJS.ProcessEnv,
): OurHandler {
  if (!options.http) return commandHandler(options.command ?? detectHookCommand(env));
  if (scope !== 'user')
    throw new SettingsError(
      'HOOKS_HTTP_SCOPE',
      `--http hooks are only installed at user scope, not ${scope}: a ${scope} settings file lives in the project, and the http form carries the daemon's access token (through $${TOKEN_ENV})`,
      {
        context: { scope, path: settingsPath(scope, { home: options.home, cwd: options.cwd, env }) },
        steps: [
          'Run `mpm-mon install-hooks --http --scope user` to register the http form for all your projects, or',
          `run \`mpm-mon install-hooks --scope ${scope}\` (without --http) to register the command form here.`,
        ],
      },
    );
  const port = options.port ?? 8765;
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new SettingsError(
      'HOOKS_HTTP_PORT',
      `--http needs the daemon's fixed port, got ${JSON.stringify(port)}`,
      {
        context: { key: 'port', value: port, expected: 'an integer 1-65535' },
        steps: ['Set a fixed port (--port or MPM_MON_PORT) and run again.'],
      },
    );
  const host =
    options.host === undefined || options.host === '0.0.0.0'
      ? '127.0.0.1'
      : options.host === '::'
        ? '::1'
        : options.host;
  return httpHandler(host, port);
}

function run(action: 'install' | 'uninstall', options: InstallHooksOptions): number {
  const out = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const env = options.env ?? process.env;
  try {
    const scope = parseScope(options.scope);
    const path = settingsPath(scope, { home: options.home, cwd: options.cwd, env });
    const handler = action === 'install' ? chooseHandler(options, scope, env) : null;
    const before = readSettingsText(path);
    const settings = parseSettings(before ?? '', path);
    const knownCommands = [options.command ?? detectHookCommand(env)];
    const edit: SettingsEdit = handler
      ? installHooks(settings, handler, { file: path, knownCommands })
      : uninstallHooks(settings, { file: path, knownCommands });
    const after = edit.changed ? formatSettings(edit.settings, detectIndent(before ?? '')) : (before ?? '');
    const dryRun = options.dryRun === true;
    const backup =
      edit.changed && !dryRun
        ? writeSettingsAtomically(path, after, before, (options.now ?? (() => new Date()))())
        : null;
    const outcome: Outcome = {
      ok: true,
      action,
      scope,
      path,
      form: handler?.type ?? null,
      ...(handler?.type === 'command' ? { command: handler.command } : {}),
      ...(handler?.type === 'http' ? { url: handler.url } : {}),
      dryRun,
      changed: edit.changed,
      changes: edit.changes,
      backup,
      ...(dryRun && edit.changed ? { diff: renderDiff(diffLines(before ?? '', after)) } : {}),
      notes: notesFor(handler, edit, env),
    };
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

function notesFor(handler: OurHandler | null, edit: SettingsEdit, env: NodeJS.ProcessEnv): string[] {
  if (handler?.type !== 'http' || !edit.changes.some((change) => change.change !== 'removed')) return [];
  const tokenFile = homePaths(resolveHome(env)).tokenFile;
  return [
    `Claude Code reads the token from $${TOKEN_ENV}: start claude from a shell where it is set, e.g. export ${TOKEN_ENV}="$(cat '${tokenFile}')"`,
    `The daemon must listen on ${handler.url.replace(/\/events$/, '')}; if it falls back to another port, these hooks miss it (the command form does not).`,
  ];
}

function list(changes: HookChange[], kind: HookChange['change']): string | null {
  const events = changes.filter((change) => change.change === kind).map((change) => change.event);
  return events.length > 0 ? `  ${`${kind}:`.padEnd(11)}${events.join(', ')}` : null;
}

function renderOutcome(outcome: Outcome): string {
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

export type HookStatus =
  | { scope: SettingsScope; path: string; exists: boolean; inspection: HookInspection }
  | { scope: SettingsScope; path: string; exists: true; error: SettingsError };

/** For `doctor`: what a scope's settings file says about our hooks. Reads only; never throws. */
export function readHookStatus(scope: SettingsScope, location: SettingsLocation = {}): HookStatus {
  const path = settingsPath(scope, location);
  try {
    const text = readSettingsText(path);
    const knownCommands = [detectHookCommand(location.env ?? process.env)];
    return {
      scope,
      path,
      exists: text !== null,
      inspection: inspectHooks(parseSettings(text ?? '', path), knownCommands),
    };
  } catch (error) {
    const failure =
      error instanceof SettingsError
        ? error
        : new SettingsError('SETTINGS_READ_FAILED', `cannot read ${path}: ${String(error)}`, {
            cause: error,
          });
    return { scope, path, exists: true, error: failure };
  }
}

/** `mpm-mon install-hooks`: 0 when the hooks are (or would be) in place, 1 on an error (printed). */
export function runInstallHooks(options: InstallHooksOptions = {}): number {
  return run('install', options);
}

/** `mpm-mon uninstall-hooks`: removes only mpm-mon's entries. 0, or 1 on an error (printed). */
export function runUninstallHooks(options: InstallHooksOptions = {}): number {
  return run('uninstall', options);
}
