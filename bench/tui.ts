/**
 * Benchmark 7: the TUI's CPU while it renders 1,000 and then 5,000 events/s. The real binary runs in a pseudo
 * terminal (a tmux session of 120×40 on a tmux server of its own), attached to a bench daemon; its CPU
 * time (utime + stime from /proc/PID/stat) is read before and after a few seconds idle, then a few
 * seconds of 1,000 and 5,000 events/s fed through /ingest. Budgets: 10 % and 25 % of one core.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { get } from '../test/e2e/harness.js';
import {
  connectProducer,
  cpuTimeMs,
  figure,
  nowMs,
  payloadOf,
  round,
  sleep,
  startBenchDaemon,
  waitFor,
  writeResult,
  type BenchOptions,
  type Producer,
} from './lib.js';
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

async function cpuPercentOver(pid: number, ms: number, during?: (until: number) => Promise<number>) {
  const cpu0 = cpuTimeMs(pid);
  const t0 = nowMs();
  let sent = 0;
  if (during) sent = await during(t0 + ms);
  else await sleep(ms);
  const wall = nowMs() - t0;
  return { percent: ((cpuTimeMs(pid) - cpu0) / wall) * 100, wallMs: wall, sent };
}

function paced(producer: Producer, firstN: number, rate: number) {
  return async (until: number): Promise<number> => {
    const start = nowMs();
    let sent = 0;
    for (let tick = 0; tick < (until - start) * 2 + 1000; tick++) {
      const now = nowMs();
      if (now >= until) break;
      const due = Math.floor(((now - start) * rate) / 1000) + 1 - sent;
      for (let i = 0; i < due; i++) void producer.send(payloadOf(firstN + sent++, 1024));
      await sleep(1);
    }
    return sent;
  };
}

export async function benchTui(options: BenchOptions) {
  const seconds = options.quick ? 2 : 5;
  const daemon = await startBenchDaemon();
  const socketName = `mpm-mon-bench-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socketName, ...args], { encoding: 'utf8' });
  let producer: Producer | null = null;
  let tuiPid: number | null = null;
  try {
    const command = `env MPM_MON_HOME=${shellQuote(daemon.home.path)} CI=false MPM_MON_LOG_LEVEL=warn ${shellQuote(process.execPath)} ${shellQuote(CLI)} --no-start`;
    tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40', command);
    const panePid = Number(tmux('list-panes', '-t', 'bench', '-F', '#{pane_pid}').trim());
    tuiPid = await waitFor(() => nodeIn(panePid), 'the TUI process', 10_000);
    // Attached once the daemon counts a viewer.
    await waitFor(
      async () => {
        const status = await get(daemon.port, '/status').catch(() => null);
        return (status?.body?.clients?.viewers ?? 0) >= 1;
      },
      'the TUI to attach',
      15_000,
    );
    await sleep(1000); // let start-up rendering finish before the idle window
    const idle = await cpuPercentOver(tuiPid, seconds * 1000);
    producer = await connectProducer(daemon);
    const loaded: Array<{ rate: number; budget: number; percent: number; wallMs: number; sent: number }> = [];
    let firstN = 0;
    for (const { rate, budget } of RATES) {
      const run = await cpuPercentOver(tuiPid, seconds * 1000, paced(producer, firstN, rate));
      firstN += run.sent;
      loaded.push({ rate, budget, ...run });
    }
    const screen = tmux('capture-pane', '-p', '-t', 'bench');
    const rendered = screen.includes('Bash') || screen.includes('PreToolUse');
    if (!rendered) throw new Error(`the TUI did not show the events:\n${screen}`);
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
      idle: { percent: round(idle.percent), wallMs: round(idle.wallMs) },
      loaded: loaded.map((run) => ({ ...run, percent: round(run.percent), wallMs: round(run.wallMs) })),
    });
  } finally {
    producer?.close();
    if (tuiPid !== null) {
      try {
        process.kill(tuiPid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    try {
      tmux('kill-server'); // this bench's own tmux server only (-L)
    } catch {
      // already gone
    }
    await daemon.stop();
  }
}
