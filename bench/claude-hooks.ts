/**
 * Benchmark: what a hook costs inside the real Claude Code. The same scenario (four tools, 17 hook
 * calls) runs with no hooks, with a bare `node -e 0` command hook per event (the baseline), with
 * `mpm-mon hook` (the command form) and with the http form, interleaved; a hook call's cost is
 * (median session − median session without hooks) / hook calls (test/claude-code/hook-cost.ts, which
 * the end-to-end suite reports too).
 */
import { LOAD_CONFIG, figure, round, writeResult, type BenchOptions } from './lib.js';
import { startStandIn } from '../test/claude-code/messages-standin.js';
import { baselineHomes, measureHookCost, median } from '../test/claude-code/hook-cost.js';
import { TOOLS } from '../test/claude-code/scenarios.js';
import { claudeHomeWithHooks, findClaudeCode } from '../test/claude-code/session.js';
import { freePort } from '../test/doctor/sandbox.js';
import { makeHome } from '../test/helpers/temp-home.js';
import { startDaemon } from '../test/helpers/daemon.js';

export async function benchClaudeHooks(options: BenchOptions) {
  const claude = findClaudeCode();
  if (!claude.ok) throw new Error(claude.reason);
  const runs = options.quick ? 3 : 7;
  const standIn = await startStandIn();
  const home = makeHome();
  home.env.MPM_MON_LOG_LEVEL = 'warn';
  home.writeConfig(LOAD_CONFIG);
  const daemon = await startDaemon(home, ['--port', String(await freePort())]);
  const command = claudeHomeWithHooks(home, 'command', daemon.token);
  const http = claudeHomeWithHooks(home, 'http', daemon.token);
  const baselines = baselineHomes();
  let cost;
  try {
    cost = await measureHookCost(
      claude.path,
      { ...baselines.homes, 'mpm-mon hook': command, http },
      standIn,
      TOOLS,
      runs,
    );
  } finally {
    await daemon.stop();
    await standIn.close();
    command.remove();
    http.remove();
    baselines.remove();
    home.remove();
  }
  const { perCallMs, sessionMs } = cost;
  const bareCost = perCallMs['node -e 0']!;
  const figures = [
    figure(
      'per hook call inside Claude Code, `mpm-mon hook` (median)',
      'ms',
      perCallMs['mpm-mon hook']!,
      bareCost,
      'node -e 0 hook',
      '≤ 1.25× (DESIGN)',
      perCallMs['mpm-mon hook']! <= 1.25 * bareCost,
    ),
    figure(
      'per hook call inside Claude Code, http form (median)',
      'ms',
      perCallMs.http!,
      bareCost,
      'node -e 0 hook',
      '—',
      null,
    ),
  ];
  return writeResult('claude-hooks', options, figures, {
    runs,
    scenario: TOOLS.name,
    hookCallsPerSession: cost.hookCallsPerSession,
    sessionMs: Object.fromEntries(
      Object.entries(sessionMs).map(([variant, times]) => [
        variant,
        { median: round(median(times)), runs: times.map((ms) => round(ms)) },
      ]),
    ),
    perCallMs: Object.fromEntries(Object.entries(perCallMs).map(([variant, ms]) => [variant, round(ms)])),
  });
}
