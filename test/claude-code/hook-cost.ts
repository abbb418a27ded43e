/**
 * What a hook costs inside the real Claude Code: the same scenario run with no hooks, with a bare
 * `node -e 0` command hook per event (the baseline), and with mpm-mon's hooks, interleaved so that a
 * busy machine weighs on every variant alike. A hook call's cost is
 * (median session − median session without hooks) / hook calls. Used by `npm run bench -- --only
 * claude-hooks` and reported (never asserted: a timing) by the end-to-end suite.
 */
import { HOOK_EVENT_NAMES } from '../../source/claude/hook-events.js';
import { percentile } from '../../source/sessions/percentile.js';
import type { Scenario, StandIn } from './messages-standin.js';
import { FIRES } from './scenarios.js';
import { runScenario, writeHookSettings } from './session.js';
import { makeHome, type Home } from '../helpers/temp-home.js';

export interface HookHome {
  path: string;
  env: NodeJS.ProcessEnv;
}

export interface HookCost {
  /** Session wall times in ms, by variant, in run order (the warm-up run not included). */
  sessionMs: Record<string, number[]>;
  /** Claude Code's session ids, by variant, in run order (the warm-up run's first). */
  sessionIds: Record<string, string[]>;
  /** Per hook call, in ms, by variant other than `none`. */
  perCallMs: Record<string, number>;
  hookCallsPerSession: number;
}

/** Nearest-rank median (NaN for no runs). */
export function median(values: readonly number[]): number {
  return percentile(values, 50) ?? NaN;
}

/** A Claude Code HOME with no hooks and one whose every hook is a bare `node -e 0`. */
export function baselineHomes(): { homes: Record<'none' | 'node -e 0', HookHome>; remove: () => void } {
  const none: Home = makeHome();
  const bare: Home = makeHome();
  writeHookSettings(bare.path, HOOK_EVENT_NAMES, `"${process.execPath}" -e 0`);
  return {
    homes: { none: { path: none.path, env: {} }, 'node -e 0': { path: bare.path, env: {} } },
    remove: () => {
      none.remove();
      bare.remove();
    },
  };
}

/**
 * Runs `scenario` once per variant to warm up, then `rounds` times per variant interleaved. `homes`
 * must hold `none`; every run must exit 0 (a failed session would time nothing).
 */
export async function measureHookCost(
  binary: string,
  homes: Record<string, HookHome>,
  standIn: StandIn,
  scenario: Scenario,
  rounds: number,
): Promise<HookCost> {
  const variants = Object.keys(homes);
  if (!variants.includes('none')) throw new Error('measureHookCost needs a `none` variant (no hooks)');
  const byVariant = <T>(): Record<string, T[]> =>
    Object.fromEntries(variants.map((variant) => [variant, []]));
  const sessionMs = byVariant<number>();
  const sessionIds = byVariant<string>();
  for (let round = -1; round < rounds; round++)
    for (const variant of variants) {
      const run = await runScenario(binary, homes[variant]!, standIn, scenario);
      if (run.code !== 0) throw new Error(`${variant}: Claude Code exited ${run.code}\n${run.stderr}`);
      sessionIds[variant]!.push(run.sessionId);
      if (round >= 0) sessionMs[variant]!.push(run.ms);
    }
  const calls = FIRES[scenario.name]!.length;
  const base = median(sessionMs.none!);
  const perCallMs = Object.fromEntries(
    variants
      .filter((variant) => variant !== 'none')
      .map((variant) => [variant, (median(sessionMs[variant]!) - base) / calls]),
  );
  return { sessionMs, sessionIds, perCallMs, hookCallsPerSession: calls };
}
