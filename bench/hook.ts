/**
 * Benchmark 1: `node dist/cli.js hook < fixture` wall time against `node -e 0`, interleaved runs,
 * (a) with the daemon up (the event is posted) and (b) with no daemon (the event is spooled).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../test/e2e/harness.js';
import {
  figure,
  median,
  nowMs,
  percentile,
  round,
  startBenchDaemon,
  writeResult,
  type BenchOptions,
} from './lib.js';
import { installedFile } from '../source/instance/installation.js';

/** What `install-hooks` writes and Claude Code runs: the package's CommonJS launcher. */
const LAUNCHER = installedFile('mpm-mon.cjs') ?? 'dist/mpm-mon.cjs (run npm run build)';
import { makeHome } from '../test/helpers/temp-home.js';

function timeRun(args: string[], input: string, env: NodeJS.ProcessEnv): number {
  const start = nowMs();
  const result = spawnSync(process.execPath, args, {
    input,
    env,
    stdio: ['pipe', 'ignore', 'ignore'],
    timeout: 10_000,
  });
  const elapsed = nowMs() - start;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return elapsed;
}

export async function benchHook(options: BenchOptions) {
  const runs = options.quick ? 20 : 30;
  const input = fixture('PreToolUse.json');
  const daemon = await startBenchDaemon();
  const downHome = makeHome();
  try {
    const bare: number[] = [];
    const up: number[] = [];
    const down: number[] = [];
    // One warm-up of each so that the first run does not pay for a cold file cache.
    timeRun(['-e', '0'], '', process.env);
    timeRun([LAUNCHER, 'hook'], input, daemon.home.env);
    timeRun([LAUNCHER, 'hook'], input, downHome.env);
    for (let i = 0; i < runs; i++) {
      bare.push(timeRun(['-e', '0'], '', process.env));
      up.push(timeRun([LAUNCHER, 'hook'], input, daemon.home.env));
      down.push(timeRun([LAUNCHER, 'hook'], input, downHome.env));
    }
    const spooled = readdirSync(join(downHome.path, 'spool')).filter((name) => name.endsWith('.json')).length;
    const base = median(bare);
    const figures = [
      figure(
        'hook wall time, daemon up (median)',
        'ms',
        median(up),
        base,
        'node -e 0',
        '≤ 1.15× (DESIGN 1.3×)',
        median(up) / base <= 1.15,
      ),
      figure(
        'hook wall time, daemon down, spooled (median)',
        'ms',
        median(down),
        base,
        'node -e 0',
        '≤ 1.15×',
        median(down) / base <= 1.15,
      ),
      figure(
        'hook wall time, daemon down (max)',
        'ms',
        Math.max(...down),
        Math.max(...bare),
        'node -e 0',
        '< 300 ms absolute',
        Math.max(...down) < 300,
      ),
    ];
    return writeResult('hook', options, figures, {
      runs,
      fixture: 'PreToolUse.json',
      nodeE0Ms: { median: round(base), p90: round(percentile(bare, 90)) },
      daemonUpMs: { median: round(median(up)), p90: round(percentile(up, 90)) },
      daemonDownMs: {
        median: round(median(down)),
        p90: round(percentile(down, 90)),
        max: round(Math.max(...down)),
      },
      spooledFiles: spooled,
      spooledExpected: runs + 1,
    });
  } finally {
    await daemon.stop();
    downHome.remove();
  }
}
