/** Where mpm-mon keeps its state. Cheap to import: the hook path uses it. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The platform's state directory for mpm-mon, unless MPM_MON_HOME says otherwise. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.MPM_MON_HOME) return env.MPM_MON_HOME;
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'mpm-mon');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'mpm-mon');
  return join(env.XDG_STATE_HOME ?? join(home, '.local', 'state'), 'mpm-mon');
}

export interface HomePaths {
  home: string;
  pidFile: string;
  tokenFile: string;
  journalDir: string;
  spoolDir: string;
  logsDir: string;
  logFile: string;
  /** Where the TUI's `e` writes the Events view as NDJSON. */
  exportsDir: string;
  /** Set by a hook whose POST timed out: the hooks after it spool at once (hook/stall-backoff.ts). */
  stallMark: string;
  /** The config file when MPM_MON_HOME is set (otherwise conf chooses). */
  configFile: string;
}

export function homePaths(home: string = resolveHome()): HomePaths {
  return {
    home,
    pidFile: join(home, 'daemon.pid'),
    tokenFile: join(home, 'token'),
    journalDir: join(home, 'journal'),
    spoolDir: join(home, 'spool'),
    logsDir: join(home, 'logs'),
    logFile: join(home, 'logs', 'daemon.log'),
    exportsDir: join(home, 'exports'),
    stallMark: join(home, 'hook-stalled'),
    configFile: join(home, 'config.json'),
  };
}

/** Where conf keeps the config file when MPM_MON_HOME is not set (env-paths with no suffix). */
export function confFilePath(env: NodeJS.ProcessEnv, homeDir: string, platform: NodeJS.Platform): string {
  if (env.MPM_MON_HOME) return homePaths(env.MPM_MON_HOME).configFile;
  if (platform === 'darwin') return join(homeDir, 'Library', 'Preferences', 'mpm-mon', 'config.json');
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homeDir, 'AppData', 'Roaming'), 'mpm-mon', 'Config', 'config.json');
  return join(env.XDG_CONFIG_HOME ?? join(homeDir, '.config'), 'mpm-mon', 'config.json');
}
