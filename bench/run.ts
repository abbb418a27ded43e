/**
 * `npm run bench` — every benchmark in turn, each against a baseline measured in the same run, each
 * written to bench/results/<name>.json, then one summary table on stdout.
 *
 *   npm run bench                     the whole set (about 4 minutes on 2 cores)
 *   npm run bench -- --quick          shorter runs (under a minute); results as <name>.quick.json
 *   npm run bench -- --only NAME      one benchmark: hook, throughput, latency, http, replay, exports, redis, memory, soak, tui,
 *                                     transcript, claude-hooks
 */
import { benchClaudeHooks } from './claude-hooks.js';
import { benchExports } from './exports.js';
import { benchHook } from './hook.js';
import { benchHttp } from './http.js';
import { benchLatency } from './latency.js';
import { benchMemory } from './memory.js';
import { nowMs, round, tableOf, type BenchOptions, type BenchResult } from './lib.js';
import { benchRedis } from './redis.js';
import { benchReplay } from './replay.js';
import { benchSoak } from './soak.js';
import { benchThroughput } from './throughput.js';
import { benchTranscript } from './transcript.js';
import { benchTui } from './tui.js';

const BENCHMARKS: Record<string, (options: BenchOptions) => Promise<BenchResult>> = {
  hook: benchHook,
  throughput: benchThroughput,
  latency: benchLatency,
  http: benchHttp,
  replay: benchReplay,
  exports: benchExports,
  redis: benchRedis,
  memory: benchMemory,
  soak: (options) => benchSoak({ ...options, seconds: options.quick ? 15 : 30, rate: 1000 }),
  tui: benchTui,
  transcript: benchTranscript,
  'claude-hooks': benchClaudeHooks,
};

function parseArgs(argv: string[]): { quick: boolean; only: string[] } {
  const only: string[] = [];
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only.push(...(argv[++i] ?? '').split(','));
    else if (arg.startsWith('--only=')) only.push(...arg.slice(7).split(','));
    else throw new Error(`unknown argument ${arg} (use --quick, --only NAME)`);
  }
  for (const name of only)
    if (!(name in BENCHMARKS))
      throw new Error(`unknown benchmark ${name}; one of ${Object.keys(BENCHMARKS).join(', ')}`);
  return { quick, only };
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const names = only.length > 0 ? only : Object.keys(BENCHMARKS);
  const results: BenchResult[] = [];
  const failed: string[] = [];
  for (const name of names) {
    const start = nowMs();
    process.stdout.write(`${name} … `);
    try {
      const result = await BENCHMARKS[name]!({ quick });
      results.push(result);
      process.stdout.write(`done in ${round((nowMs() - start) / 1000, 1)} s\n`);
    } catch (error) {
      failed.push(name);
      process.stdout.write(
        `FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  }
  process.stdout.write(`\n${tableOf(results)}\n`);
  if (failed.length > 0) {
    process.stdout.write(`\nfailed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

await main();
// Socket.IO clients and timers that a failed benchmark left behind must not keep the process alive.
process.exit();
