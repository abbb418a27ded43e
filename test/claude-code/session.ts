/**
 * The real Claude Code against the Messages stand-in with mpm-mon's hooks, as the end-to-end tests,
 * the fixture capture and the bench use it: find (or install) the pinned binary, give Claude Code a
 * temp HOME whose settings `mpm-mon install-hooks` wrote, run one scenario in a fresh project folder,
 * and read back what the daemon stored.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { claudeCodeBinary, ensureClaudeCode } from '../../scripts/install-claude-code.mjs';
import type { MonEvent } from '../../source/protocol/event.js';
import { CLI, runCli } from '../helpers/daemon.js';
import { tempDir, type Home } from '../helpers/temp-home.js';
import type { Scenario, StandIn } from './messages-standin.js';
import { runClaude, type ClaudeRun } from './run-claude.js';

export type ClaudeBinary = { ok: true; path: string } | { ok: false; reason: string };

/** The pinned binary, installed into the cache when missing; a reason instead when that fails. */
export function findClaudeCode(): ClaudeBinary {
  if (existsSync(claudeCodeBinary())) return { ok: true, path: claudeCodeBinary() };
  try {
    return { ok: true, path: ensureClaudeCode() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export type HookForm = 'command' | 'http';

/** A HOME for Claude Code whose user settings hold mpm-mon's hooks for `daemonHome`'s daemon. */
export interface ClaudeHome {
  path: string;
  form: HookForm;
  /** What Claude Code needs in its environment to reach the daemon (MPM_MON_HOME, the token). */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** A new folder to be Claude Code's HOME (a daemon started before the hooks are installed may read it). */
export function claudeHomeFolder(): string {
  return tempDir('mpm-mon-claude-').path;
}

export function claudeHomeWithHooks(
  daemonHome: Home,
  form: HookForm,
  token: string,
  path = claudeHomeFolder(),
): ClaudeHome {
  const args = ['install-hooks', '--json', ...(form === 'http' ? ['--http'] : [])];
  const installed = runCli(daemonHome, args, undefined, { HOME: path, CLAUDE_CONFIG_DIR: '' });
  if (installed.code !== 0) throw new Error(`install-hooks failed:\n${installed.stdout}${installed.stderr}`);
  return {
    path,
    form,
    env: {
      MPM_MON_HOME: daemonHome.path,
      MPM_MON_LOG_LEVEL: 'warn',
      ...(form === 'http' ? { MPM_MON_TOKEN: token } : {}),
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Settings with only a hook per event that runs `command` (for the capture and the baselines). */
export function writeHookSettings(home: string, events: readonly string[], command: string): void {
  mkdirSync(join(home, '.claude'), { recursive: true });
  const hooks = Object.fromEntries(
    events.map((event) => [event, [{ hooks: [{ type: 'command', command, timeout: 5 }] }]]),
  );
  writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ hooks }, null, 2));
}

let runs = 0;

export interface ScenarioRun extends ClaudeRun {
  /** The session id Claude Code reported (stream-json `init`). */
  sessionId: string;
  cwd: string;
}

/** Runs one scenario in a new project folder of `home` (a Write never finds an earlier file). */
export async function runScenario(
  binary: string,
  home: { path: string; env: NodeJS.ProcessEnv },
  standIn: StandIn,
  scenario: Scenario,
  options: { debug?: boolean } = {},
): Promise<ScenarioRun> {
  runs += 1;
  const cwd = join(home.path, `project-${runs}`);
  standIn.use(scenario);
  const run = await runClaude({
    binary,
    home: home.path,
    cwd,
    baseUrl: standIn.url,
    prompt: scenario.prompt,
    env: home.env,
    debug: options.debug,
  });
  const init = run.messages.find((message) => message.type === 'system' && message.subtype === 'init');
  const sessionId = typeof init?.session_id === 'string' ? init.session_id : '';
  if (!sessionId) throw new Error(`Claude Code reported no session (exit ${run.code}):\n${run.stderr}`);
  return { ...run, sessionId, cwd };
}

/** Every event the daemon stored for a session, in seq order (`mpm-mon events --json`). */
export function storedEvents(daemonHome: Home, sessionId: string): MonEvent[] {
  const result = spawnSync(
    process.execPath,
    [CLI, 'events', '--since', '0', '--session', sessionId, '--json'],
    { env: daemonHome.env, encoding: 'utf8', timeout: 30_000 },
  );
  if (result.status !== 0) throw new Error(`mpm-mon events failed: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as MonEvent);
}
