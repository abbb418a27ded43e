/** The I/O shell around resolve.ts: reads the config file through conf. */
import { dirname, basename } from 'node:path';
import Conf from 'conf';
import { ConfigError } from '../errors/config-error.js';
import { homePaths } from './home.js';
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
    throw new ConfigError({
      key: '(file)',
      value: file ?? 'config.json',
      expected: `a readable JSON object (${error instanceof Error ? error.message : String(error)})`,
      source: 'file',
      where: file,
    });
  }
}

export function loadConfig(options: LoadOptions = {}): ResolvedConfig & { file: string } {
  const env = options.env ?? process.env;
  const store = openConfigStore(env);
  return {
    ...resolveConfig({ flags: options.flags, env, file: store.store, fileWhere: store.path }),
    file: store.path,
  };
}
