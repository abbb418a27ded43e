/**
 * Benchmark 7: the TUI's CPU while it renders 1,000 and then 5,000 events/s. The real binary runs in a pseudo
 * terminal (a tmux session of 120×40 on a tmux server of its own); its CPU time (utime + stime from
 * /proc/PID/stat) is read over a few seconds idle, then a few seconds at each rate. The events are the
 * bench daemon's, recorded first and played back at each rate by a stand-in (tui-feed.ts: one daemon here
 * ingests fewer than 5,000 ev/s, and its work would share the cores with the TUI). Budgets: 10 % and
 * 25 % of one core. `MPM_MON_BENCH_TUI_NODE_OPTIONS=--cpu-prof` profiles the TUI (the profile is
 * written when it exits).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import {
  cpuTimesMs,
  figure,
  nowMs,
  round,
  sleep,
  startBenchDaemon,
  waitFor,
  writeResult,
  type BenchOptions,
} from './lib.js';
import { recordFromDaemon, startFeed, type Feed } from './tui-feed.js';
import { CLI } from '../test/helpers/daemon.js';

/** The rates the TUI is measured at, each with its budget in % of one core. */
const RATES = [
  { rate: 1000, budget: 10 },
  { rate: 5000, budget: 25 },
] as const;

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The node process in the pane: the pane's own pid, or its first node descendant. */
function nodeIn(panePid: number): number | null {
  const queue = [panePid];
  for (let i = 0; i < 50 && queue.length > 0; i++) {
    const pid = queue.shift()!;
    try {
      if (readlinkSync(`/proc/${pid}/exe`) === process.execPath) return pid;
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (children) queue.push(...children.split(' ').map(Number));
    } catch {
      // gone or not readable
    }
  }
  return null;
}

async function cpuPercentOver(pid: number, ms: number, during?: () => Promise<number>) {
  const cpu0 = cpuTimesMs(pid);
  const t0 = nowMs();
  const sent = during ? await during() : (await sleep(ms), 0);
  const wall = nowMs() - t0;
  const cpu1 = cpuTimesMs(pid);
  const user = cpu1.userMs - cpu0.userMs;
  const system = cpu1.systemMs - cpu0.systemMs;
  return {
    percent: ((user + system) / wall) * 100,
    userPercent: round((user / wall) * 100),
    systemPercent: round((system / wall) * 100),
    wallMs: wall,
    sent,
  };
}

export async function benchTui(options: BenchOptions) {
  const seconds = options.quick ? 2 : 5;
  const daemon = await startBenchDaemon();
  const socketName = `mpm-mon-bench-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socketName, ...args], { encoding: 'utf8' });
  let feed: Feed | null = null;
  let tuiPid: number | null = null;
  try {
    // Every event the two rates play, plus one flood's worth so the last window never runs dry.
    const total = RATES.reduce((sum, { rate }) => sum + rate * seconds, 0) + 1000;
    const recordStart = nowMs();
    const recording = await recordFromDaemon(daemon, total);
    const recordMs = nowMs() - recordStart;
    feed = await startFeed(recording, daemon);
    const profile = process.env.MPM_MON_BENCH_TUI_NODE_OPTIONS ?? '';
    const command = `env MPM_MON_HOME=${shellQuote(feed.home)} CI=false MPM_MON_LOG_LEVEL=warn ${shellQuote(process.execPath)} ${profile} ${shellQuote(CLI)} --no-start`;
    tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40', command);
    const panePid = Number(tmux('list-panes', '-t', 'bench', '-F', '#{pane_pid}').trim());
    tuiPid = await waitFor(() => nodeIn(panePid), 'the TUI process', 10_000);
    const pid = tuiPid;
    await waitFor(() => feed!.viewers() >= 1, 'the TUI to attach', 15_000);
    // Start-up (module loading, the first frames, doctor's first findings) is over once the CPU settles.
    await settledCpu(pid);
    const idle = await cpuPercentOver(pid, seconds * 1000);
    const loaded: Array<{ rate: number; budget: number } & Awaited<ReturnType<typeof cpuPercentOver>>> = [];
    for (const { rate, budget } of RATES) {
      const run = await cpuPercentOver(pid, seconds * 1000, () => feed!.play(rate, seconds * 1000));
      // Played in full, or the figure is not the rate it says.
      if (run.sent < rate * seconds * 0.95)
        throw new Error(`only ${run.sent} of ${rate * seconds} events were played at ${rate} ev/s`);
      loaded.push({ rate, budget, ...run });
      // What is still queued or batched belongs to this rate, not the next one.
      await waitFor(() => feed!.buffered() === 0, 'the feed to write out', 10_000);
      await sleep(1000);
    }
    const screen = tmux('capture-pane', '-p', '-t', 'bench');
    // The newest event played is on screen (its command is its summary).
    const newest = recording.events[loaded.reduce((sum, run) => sum + run.sent, 0) - 1]!;
    const shown = (newest.data.tool_input as { command?: string } | undefined)?.command ?? '';
    if (!screen.includes('Bash') || !new RegExp(`${shown}\\b`).test(screen))
      throw new Error(`the TUI did not show the events:\n${screen}`);
    const figures = loaded.map((run) =>
      figure(
        `TUI CPU at ${run.rate} ev/s (120×40 tmux pane)`,
        '% of one core',
        run.percent,
        idle.percent,
        'same TUI idle',
        `≤ ${run.budget} %`,
        run.percent <= run.budget,
      ),
    );
    return writeResult('tui', options, figures, {
      seconds,
      source: 'events recorded from the bench daemon, played back by a stand-in at each rate',
      recorded: { events: recording.events.length, wallMs: round(recordMs) },
      idle: { ...idle, percent: round(idle.percent), wallMs: round(idle.wallMs) },
      loaded: loaded.map((run) => ({ ...run, percent: round(run.percent), wallMs: round(run.wallMs) })),
    });
  } finally {
    if (tuiPid !== null) {
      try {
        process.kill(tuiPid, 'SIGTERM');
      } catch {
        // already gone
      }
      // A profiled TUI writes its profile on the way out.
      await waitFor(() => !alive(tuiPid!), 'the TUI to exit', 10_000).catch(() => undefined);
    }
    try {
      tmux('kill-server'); // this bench's own tmux server only (-L)
    } catch {
      // already gone
    }
    await feed?.stop();
    await daemon.stop();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (at most 10 s) until the process used under 6 % of a core over a second. */
async function settledCpu(pid: number): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const { percent } = await cpuPercentOver(pid, 1000);
    if (percent < 6) return;
  }
}
