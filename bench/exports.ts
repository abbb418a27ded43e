/**
 * Exports: ten `mpm-mon events --since 0 --json` at once, each the whole of a journal of EXPORT_EVENTS
 * 1 KB events, kept going (each restarts when it ends) while a producer sends 100 events/s to one live
 * viewer. The daemon runs with its default health thresholds (not the tests' calm ones): /health is read
 * every 250 ms throughout and must never fail, and no recovery may run. Baseline: the same live stream
 * on the same daemon just before, with no export running.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { get } from '../test/e2e/harness.js';
import { CLI, startDaemon } from '../test/helpers/daemon.js';
import { makeHome } from '../test/helpers/temp-home.js';
import { pacedRun } from './latency.js';
import { LOAD_CONFIG, figure, nowMs, round, sleep, writeResult, type BenchOptions } from './lib.js';
import { writeJournal } from './replay.js';

const EXPORTERS = 10;
const LIVE_RATE = 100;

interface ExportRun {
  ms: number;
  lines: number;
}

/** One full export; resolves with how long it took and how many lines it printed. */
function exportAll(env: NodeJS.ProcessEnv): Promise<ExportRun> {
  const started = nowMs();
  const child = spawn(process.execPath, [CLI, 'events', '--since', '0', '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code) => {
      clearTimeout(deadline);
      if (code === 0) resolve({ ms: nowMs() - started, lines });
      else reject(new Error(`export exited ${code}: ${stderr.slice(0, 500)}`));
    });
  });
}

export async function benchExports(options: BenchOptions) {
  const events = options.quick ? 20_000 : 100_000;
  const seconds = options.quick ? 4 : 10;
  const home = makeHome();
  home.env.MPM_MON_LOG_LEVEL = 'warn';
  // The default health thresholds: what a user's daemon would judge itself by.
  writeFileSync(join(home.path, 'config.json'), JSON.stringify(LOAD_CONFIG));
  writeJournal(join(home.path, 'journal'), events);
  const daemon = await startDaemon(home);
  const target = { port: daemon.port, token: daemon.token };
  const healthSeen: Record<string, number> = {};
  const exports: ExportRun[] = [];
  let sampling = true;
  try {
    const quiet = await pacedRun(target, LIVE_RATE, seconds / 2, 10_000_000, 1);
    const recoveriesBefore = (await recoveryLog(daemon.port, daemon.token)).length;
    const sampler = (async () => {
      for (let i = 0; sampling && i < 10_000; i++) {
        const status = (await get(daemon.port, '/health').catch(() => null))?.body?.status ?? 'no answer';
        healthSeen[status] = (healthSeen[status] ?? 0) + 1;
        await sleep(250);
      }
    })();
    let exporting = true;
    const workers = Array.from({ length: EXPORTERS }, async () => {
      for (let i = 0; exporting && i < 100; i++) exports.push(await exportAll(home.env));
    });
    // Once every exporter is under way, the live stream is measured while they run.
    await sleep(500);
    const loaded = await pacedRun(target, LIVE_RATE, seconds, 20_000_000, 1);
    exporting = false;
    await Promise.all(workers);
    sampling = false;
    await sampler;
    const recoveryEntries = (await recoveryLog(daemon.port, daemon.token)).slice(recoveriesBefore);
    const recoveries = recoveryEntries.length;
    const incomplete = exports.filter((run) => run.lines < events).length;
    if (incomplete > 0) throw new Error(`${incomplete} exports printed fewer than ${events} events`);
    const healthy = !healthSeen.fail && !healthSeen['no answer'] && recoveries === 0;
    const perExport = exports.reduce((sum, run) => sum + run.ms, 0) / exports.length;
    return writeResult(
      'exports',
      options,
      [
        figure(
          `live p99 at ${LIVE_RATE} ev/s during ${EXPORTERS} parallel full exports of ${events} events`,
          'ms',
          loaded.p99,
          quiet.p99,
          'same stream, no export',
          '≤ 20 ms, health passes',
          loaded.p99 <= 20 && healthy,
        ),
        figure(
          'one full export while nine others run',
          'ms',
          round(perExport),
          null,
          'none',
          'report',
          null,
        ),
      ],
      {
        events,
        exporters: EXPORTERS,
        exportsCompleted: exports.length,
        exportMs: exports.map((run) => round(run.ms)),
        healthSeen,
        recoveries,
        recoveryEntries,
        quiet,
        loaded,
      },
    );
  } finally {
    sampling = false;
    await daemon.stop();
    home.remove();
  }
}

/** The recovery log of /diagnostics: what recovery did and why. */
async function recoveryLog(port: number, token: string): Promise<unknown[]> {
  const answer = await get(port, '/diagnostics', token).catch(() => null);
  const log = (answer?.body as { recovery?: { log?: unknown } } | undefined)?.recovery?.log;
  return Array.isArray(log) ? log : [];
}
