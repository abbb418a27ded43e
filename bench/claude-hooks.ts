/**
 * Benchmark: what a hook costs inside the real Claude Code. The same scenario (four tools, 17 hook
 * calls) runs with no hooks, with a bare `node -e 0` command hook per event (the baseline), with
 * `mpm-mon hook` (the command form) and with the http form, interleaved; a hook call's cost is
 * (median session − median session without hooks) / hook calls.
 */
import { LOAD_CONFIG, figure, median, round, writeResult, type BenchOptions } from './lib.js';
import { HOOK_EVENT_NAMES } from '../source/claude/hook-events.js';
import { startStandIn } from '../test/claude-code/messages-standin.js';
import { FIRES, TOOLS } from '../test/claude-code/scenarios.js';
import {
  claudeHomeWithHooks,
  findClaudeCode,
  runScenario,
  writeHookSettings,
} from '../test/claude-code/session.js';
import { freePort } from '../test/doctor/sandbox.js';
import { makeHome } from '../test/helpers/temp-home.js';
import { startDaemon } from '../test/helpers/daemon.js';

const VARIANTS = ['none', 'node -e 0', 'mpm-mon hook', 'http'] as const;
type Variant = (typeof VARIANTS)[number];

export async function benchClaudeHooks(options: BenchOptions) {
  const claude = findClaudeCode();
  if (!claude.ok) throw new Error(claude.reason);
  const runs = options.quick ? 3 : 7;
  const calls = FIRES[TOOLS.name]!.length;
  const standIn = await startStandIn();
  const home = makeHome();
  home.env.MPM_MON_LOG_LEVEL = 'warn';
  home.writeConfig(LOAD_CONFIG);
  const daemon = await startDaemon(home, ['--port', String(await freePort())]);
  const command = claudeHomeWithHooks(home, 'command', daemon.token);
  const http = claudeHomeWithHooks(home, 'http', daemon.token);
  const noHooks = makeHome();
  const bareHooks = makeHome();
  const none = { path: noHooks.path, env: {} };
  const bare = { path: bareHooks.path, env: {} };
  writeHookSettings(bare.path, HOOK_EVENT_NAMES, `"${process.execPath}" -e 0`);
  const homes: Record<Variant, { path: string; env: NodeJS.ProcessEnv }> = {
    none,
    'node -e 0': bare,
    'mpm-mon hook': command,
    http,
  };
  const times: Record<Variant, number[]> = { none: [], 'node -e 0': [], 'mpm-mon hook': [], http: [] };
  try {
    for (const variant of VARIANTS) await runScenario(claude.path, homes[variant], standIn, TOOLS);
    for (let i = 0; i < runs; i++)
      for (const variant of VARIANTS) {
        const run = await runScenario(claude.path, homes[variant], standIn, TOOLS);
        if (run.code !== 0) throw new Error(`${variant}: Claude Code exited ${run.code}\n${run.stderr}`);
        times[variant].push(run.ms);
      }
  } finally {
    await daemon.stop();
    await standIn.close();
    command.remove();
    http.remove();
    for (const removable of [noHooks, bareHooks, home]) removable.remove();
  }
  const base = median(times.none);
  const perCall = (variant: Variant): number => (median(times[variant]) - base) / calls;
  const bareCost = perCall('node -e 0');
  const figures = [
    figure(
      'per hook call inside Claude Code, `mpm-mon hook` (median)',
      'ms',
      perCall('mpm-mon hook'),
      bareCost,
      'node -e 0 hook',
      '≤ 1.25× (DESIGN)',
      perCall('mpm-mon hook') <= 1.25 * bareCost,
    ),
    figure(
      'per hook call inside Claude Code, http form (median)',
      'ms',
      perCall('http'),
      bareCost,
      'node -e 0 hook',
      '—',
      null,
    ),
  ];
  return writeResult('claude-hooks', options, figures, {
    runs,
    scenario: TOOLS.name,
    hookCallsPerSession: calls,
    sessionMs: Object.fromEntries(
      VARIANTS.map((variant) => [
        variant,
        { median: round(median(times[variant])), runs: times[variant].map((ms) => round(ms)) },
      ]),
    ),
    perCallMs: Object.fromEntries(VARIANTS.slice(1).map((variant) => [variant, round(perCall(variant))])),
  });
}
