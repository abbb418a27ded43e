/**
 * Registering (or removing) mpm-mon in a Claude Code settings file, merging with what is there;
 * `dryRun` writes nothing. The `install-hooks` command renders the outcome; doctor reads the status.
 *
 * Which command gets registered: `mpm-mon hook` when an `mpm-mon` executable is on PATH (survives
 * upgrades and reinstalls); otherwise the absolute `"<node>" "<…/dist/mpm-mon.cjs>" hook` of this
 * installation, so hooks work from a checkout or an npx cache too. The http form (no process per
 * event) is user scope only: the header names `$MPM_MON_TOKEN`, never the token itself, and a project
 * file is no place for even that; the events Claude Code never sends over http get the command form.
 */
import { rmSync } from 'node:fs';
import { homePaths, resolveHome } from '../config/home.js';
import { installedFile } from '../instance/installation.js';
import { findOnPath } from '../instance/invocation.js';
import { NOT_OVER_HTTP } from './hook-events.js';
import { SettingsError } from './settings-error.js';
import {
  backupPath,
  readBackup,
  readSettingsText,
  settingsPath,
  writeSettingsAtomically,
  parseScope,
  type SettingsLocation,
  type SettingsScope,
} from './settings-file.js';
import {
  commandHandler,
  detectIndent,
  formatSettings,
  httpFormChoice,
  httpHandler,
  inspectHooks,
  installHooks,
  parseSettings,
  uninstallHooks,
  TOKEN_ENV,
  type HandlerChoice,
  type HookChange,
  type HookForm,
  type HookInspection,
  type HttpHandler,
  type Settings,
  type SettingsEdit,
} from './settings.js';

export interface HookEditOptions extends SettingsLocation {
  /** Default `user`. A string so that a CLI value can be passed through and validated here. */
  scope?: string;
  dryRun?: boolean;
  /** Register Claude Code's `http` hook form (user scope only). Ignored by uninstall. */
  http?: boolean;
  /** For `http`: where the daemon listens (default 127.0.0.1:8765). */
  host?: string;
  port?: number;
  /** For `http`: https when the daemon serves TLS. */
  scheme?: 'http' | 'https';
  /** The hook command to register (default: see the top of this file). */
  command?: string;
}

export interface HookEditOutcome {
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

/** `mpm-mon hook` whenever an mpm-mon is on PATH: that survives a move of this checkout and upgrades. */
export function detectHookCommand(env: NodeJS.ProcessEnv = process.env, cliScript = installedFile('mpm-mon.cjs')): string {
  if (findOnPath('mpm-mon', env) !== null || cliScript === null) return 'mpm-mon hook';
  return `"${process.execPath}" "${cliScript}" hook`;
}

interface Chosen {
  choice: HandlerChoice;
  command: string;
  http: HttpHandler | null;
}

function chooseHandlers(options: HookEditOptions, scope: SettingsScope, env: NodeJS.ProcessEnv): Chosen {
  const command = options.command ?? detectHookCommand(env);
  if (!options.http) return { choice: commandHandler(command), command, http: null };
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
  const http = httpHandler(host, port, options.scheme);
  return { choice: httpFormChoice(http, commandHandler(command)), command, http };
}

/** Installs or removes our hooks in one scope's file. Throws a SettingsError on bad input or I/O. */
export function editHooks(action: 'install' | 'uninstall', options: HookEditOptions = {}): HookEditOutcome {
  const env = options.env ?? process.env;
  const scope = parseScope(options.scope);
  const path = settingsPath(scope, { home: options.home, cwd: options.cwd, env });
  const chosen = action === 'install' ? chooseHandlers(options, scope, env) : null;
  const before = readSettingsText(path);
  const settings = parseSettings(before ?? '', path);
  const knownCommands = [options.command ?? detectHookCommand(env)];
  const edit: SettingsEdit = chosen
    ? installHooks(settings, chosen.choice, { file: path, knownCommands })
    : uninstallHooks(settings, { file: path, knownCommands });
  const after = edit.changed ? settingsAfter(action, path, edit.settings, before) : before;
  const dryRun = options.dryRun === true;
  const backup = edit.changed && !dryRun ? writeSettingsAtomically(path, after, before) : null;
  if (edit.changed && !dryRun && action === 'uninstall' && (after === null || after === readBackup(path)))
    rmSync(backupPath(path), { force: true });
  const form: HookForm | null = chosen ? (chosen.http ? 'http' : 'command') : null;
  return {
    ok: true,
    action,
    scope,
    path,
    form,
    ...(chosen ? { command: chosen.command } : {}),
    ...(chosen?.http ? { url: chosen.http.url } : {}),
    dryRun,
    changed: edit.changed,
    changes: edit.changes,
    backup,
    ...(dryRun && edit.changed ? { diff: hooksDiff(settings, edit.settings) } : {}),
    notes: chosen?.http ? httpNotes(chosen.http, env) : [],
  };
}

/**
 * The text to write. Uninstalling gives back the original bytes when what is left is what was there
 * before mpm-mon (the backup), and removes a file mpm-mon created that is left empty; otherwise the
 * settings in the file's own indentation. Null means: remove the file.
 */
function settingsAfter(
  action: 'install' | 'uninstall',
  path: string,
  settings: Settings,
  before: string | null,
): string | null {
  if (action === 'uninstall') {
    const original = readBackup(path);
    if (original !== null && sameJson(parseSettings(original, backupPath(path)), settings)) return original;
    if (original === null && Object.keys(settings).length === 0) return null;
  }
  return formatSettings(settings, detectIndent(before ?? ''));
}

/** The same settings, an empty "hooks" counting as none (uninstalling removes an emptied one). */
function sameJson(a: Settings, b: Settings): boolean {
  const normal = (settings: Settings): string => {
    const { hooks, ...rest } = settings;
    const empty = hooks !== null && typeof hooks === 'object' && Object.keys(hooks).length === 0;
    return JSON.stringify(empty || hooks === undefined ? rest : settings);
  };
  return normal(a) === normal(b);
}

/** A short diff of what changes under "hooks": one line per event and handler, not the whole file. */
function hooksDiff(before: Settings, after: Settings): string {
  const entries = (settings: Settings): string[] => {
    const hooks = (settings.hooks ?? {}) as Record<string, unknown>;
    return Object.entries(hooks).flatMap(([event, groups]) =>
      (Array.isArray(groups) ? groups : [groups]).map((group) => `hooks.${event}: ${JSON.stringify(group)}`),
    );
  };
  const was = entries(before);
  const will = entries(after);
  return [
    ...was.filter((line) => !will.includes(line)).map((line) => `- ${line}`),
    ...will.filter((line) => !was.includes(line)).map((line) => `+ ${line}`),
  ].join('\n');
}

function httpNotes(handler: HttpHandler, env: NodeJS.ProcessEnv): string[] {
  const tokenFile = homePaths(resolveHome(env)).tokenFile;
  const address = handler.url.replace(/\/events(\?.*)?$/, '');
  return [
    `Claude Code reads the token from $${TOKEN_ENV}: start claude from a shell where it is set, e.g. export ${TOKEN_ENV}="$(cat '${tokenFile}')"`,
    `The daemon must listen on ${address}; if it falls back to another port, these hooks miss it (the command form does not).`,
    `Claude Code does not send ${[...NOT_OVER_HTTP].join(' or ')} over http: those use the command form.`,
    'While the daemon is down or stalled, Claude Code drops what it would have posted: the http form cannot spool (the command form does).',
  ];
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
