/** The I/O shell around resolve.ts: reads the config file through conf. */
import { dirname, basename } from 'node:path';
import Conf from 'conf';
import { readFileSync } from 'node:fs';
import { errorCodeOf, type MpmError } from '../errors/base.js';
import { ConfigError, ConfigFileError } from '../errors/config-error.js';
import { HomeNotWritableError, homeIsAFile } from '../errors/home-error.js';
import { homedir } from 'node:os';
import { confFilePath, homePaths } from './home.js';
import { resolveConfig, type ResolvedConfig } from './resolve.js';

export interface LoadOptions {
  flags?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

/** Where the config file lives: `$MPM_MON_HOME/config.json` when MPM_MON_HOME is set, else conf's place. */
export function openConfigStore(env: NodeJS.ProcessEnv = process.env): Conf<Record<string, unknown>> {
  const file = env.MPM_MON_HOME ? homePaths(env.MPM_MON_HOME).configFile : undefined;
  try {
    return new Conf<Record<string, unknown>>({
      projectName: 'mpm-mon',
      projectSuffix: '',
      ...(file ? { cwd: dirname(file), configName: basename(file, '.json') } : {}),
    });
  } catch (error) {
    throw (
      configFileProblem(error, file ?? confFilePath(env, homedir(), process.platform), env) ??
      new ConfigError({
        key: '(file)',
        value: file ?? 'config.json',
        expected: `a readable JSON object (${error instanceof Error ? error.message : String(error)})`,
        source: 'file',
        where: file,
      })
    );
  }
}

/** What conf's failure means: a file that is not JSON, or a home that cannot be written; else null. */
function configFileProblem(error: unknown, file: string, env: NodeJS.ProcessEnv): MpmError | null {
  if (error instanceof SyntaxError) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // the message alone, then
    }
    return ConfigFileError.fromParse(file, text, error);
  }
  const code = errorCodeOf(error);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR') {
    const home = env.MPM_MON_HOME ?? dirname(file);
    return new HomeNotWritableError({
      home,
      problem: code !== 'ENOTDIR' ? 'not-writable' : homeIsAFile(home) ? 'not-a-directory' : 'missing',
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  return null;
}

export function loadConfig(options: LoadOptions = {}): ResolvedConfig & { file: string } {
  const env = options.env ?? process.env;
  const store = openConfigStore(env);
  return {
    ...resolveConfig({ flags: options.flags, env, file: store.store, fileWhere: store.path }),
    file: store.path,
  };
}
