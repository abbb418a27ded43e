/**
 * Claude Code's settings files on disk: where each scope's file is, reading it, and replacing it
 * atomically (temp + rename, through a symlinked file to its target) after a backup.
 */
import {
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
import { dirname, join } from 'node:path';
import { isMpmError } from '../errors/base.js';
import { SettingsError } from './settings-error.js';

export type SettingsScope = 'user' | 'project' | 'local';
export const SETTINGS_SCOPES: readonly SettingsScope[] = ['user', 'project', 'local'];

export interface SettingsLocation {
  /** Where `~` is (default: `HOME`, then the OS's idea). */
  home?: string;
  /** The project directory for project/local scope (default: the working directory). */
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

/** The file's text, or null when it does not exist. */
export function readSettingsText(path: string): string | null {
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

/** The one backup: the file as it was before mpm-mon first changed it (never overwritten). */
export function backupPath(settingsFile: string): string {
  let target = settingsFile;
  try {
    target = realpathSync(settingsFile);
  } catch {
    // not there (yet): the path itself
  }
  return `${target}.mpm-mon.bak`;
}

/** The backup's text, or null when there is none. */
export function readBackup(settingsFile: string): string | null {
  try {
    return readFileSync(backupPath(settingsFile), 'utf8');
  } catch {
    return null;
  }
}

/**
 * Backs up `path` (if it exists and has no backup yet) and replaces it atomically with `text`, or
 * removes it when `text` is null. Returns the backup path when one was made by this call.
 */
export function writeSettingsAtomically(
  path: string,
  text: string | null,
  before: string | null,
): string | null {
  try {
    // Write through a symlink (dotfile managers link settings.json) rather than replacing it.
    const target = before === null ? path : realpathSync(path);
    mkdirSync(dirname(target), { recursive: true });
    let backup: string | null = null;
    let mode = 0o644;
    if (before !== null) {
      mode = statSync(target).mode & 0o777;
      if (!existsSync(backupPath(path))) {
        backup = backupPath(path);
        copyFileSync(target, backup, constants.COPYFILE_EXCL);
      }
    }
    if (text === null) {
      rmSync(target, { force: true });
      return backup;
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
