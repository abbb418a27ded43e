/**
 * Throw-away folders and MPM_MON_HOMEs. Every environment built here carries MPM_MON_PARENT_PID, so a
 * daemon started with it (foreground, or detached by `mpm-mon start`) stops once this test process is
 * gone, failure or not.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { PidFileData } from '../../source/protocol/pidfile.js';
import { PARENT_PID_ENV } from '../../source/instance/parent-watch.js';

export function tempDir(prefix = 'mpm-mon-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  // A daemon that is still stopping may add a file meanwhile (ENOTEMPTY): rmSync retries then.
  return { path, remove: () => rmSync(path, { recursive: true, force: true, maxRetries: 10 }) };
}

/** What every daemon a test starts must have in its environment. */
export function daemonTestEnv(): Record<string, string> {
  return { [PARENT_PID_ENV]: String(process.pid) };
}

/**
 * Thresholds that a busy machine crosses on its own (start-up event-loop lag, a slow probe) are set
 * out of reach, so that a test's health is what the test does. Tests of those checks set their own.
 */
export const CALM_HEALTH = {
  health: {
    thresholds: {
      eventLoopLagMs: { warn: 60_000, fail: 120_000 },
      probeLatencyMs: { warn: 60_000, fail: 120_000 },
      cpuPercent: { warn: 1_000, fail: 2_000 },
    },
  },
};

export interface Home {
  path: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
  /** Writes config.json; the calm health thresholds come first, so the test's own keys win. */
  writeConfig(config: Record<string, unknown>): void;
  pidFile(): PidFileData | null;
  token(): string;
}

export function makeHome(): Home {
  const { path, remove } = tempDir('mpm-mon-e2e-');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MPM_MON_HOME: path,
    MPM_MON_LOG_LEVEL: 'info',
    NO_COLOR: '1',
    ...daemonTestEnv(),
  };
  delete env.MPM_MON_PORT;
  const writeConfig = (config: Record<string, unknown>): void =>
    writeFileSync(join(path, 'config.json'), JSON.stringify(mergeConfig(CALM_HEALTH, config)));
  writeConfig({});
  return {
    path,
    env,
    remove,
    writeConfig,
    pidFile: () => {
      try {
        return JSON.parse(readFileSync(join(path, 'daemon.pid'), 'utf8')) as PidFileData;
      } catch {
        return null;
      }
    },
    token: () => readFileSync(join(path, 'token'), 'utf8').trim(),
  };
}

/** For a test file: `const home = homesRemovedAfter();` then `home()` gives a fresh home, removed after the file. */
export function homesRemovedAfter(): () => Home {
  const homes: Home[] = [];
  after(() => {
    for (const home of homes) home.remove();
  });
  return () => {
    const created = makeHome();
    homes.push(created);
    return created;
  };
}

/** For a test file: `const dir = dirsRemovedAfter('mpm-mon-x-');` then `dir()` gives a fresh folder, removed after the file. */
export function dirsRemovedAfter(prefix?: string): () => string {
  const dirs: Array<{ remove: () => void }> = [];
  after(() => {
    for (const dir of dirs) dir.remove();
  });
  return () => {
    const created = tempDir(prefix);
    dirs.push(created);
    return created.path;
  };
}

/** Deep merge of plain objects; `over` wins. */
export function mergeConfig(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const below = merged[key];
    merged[key] = isPlainObject(below) && isPlainObject(value) ? mergeConfig(below, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
