/**
 * Benchmark 2: one producer on /ingest (websocket, 1 KB events, at most WINDOW unacked) to 1 / 10 /
 * 100 viewers on /dashboard: delivered events/s per viewer, the daemon against the bare relay with
 * the same producer and viewers. Also the server's peak RSS under that load (used by memory.ts).
 */
import {
  closeAll,
  connectProducer,
  connectViewers,
  figure,
  nowMs,
  payloadOf,
  round,
  rssMb,
  startBaseline,
  startBenchDaemon,
  waitFor,
  writeResult,
  type BenchOptions,
  type Figure,
  type Target,
} from './lib.js';

const WINDOW = 256;

export interface RunFigures {
  viewers: number;
  sent: number;
  acked: number;
  refused: number;
  elapsedMs: number;
  perViewerPerSecond: number;
  deliveriesPerSecond: number;
  minViewerCount: number;
  peakRssMb: number;
}

/** Sends up to `events` (or for `budgetMs`) with a bounded window, then waits for every viewer. */
export async function oneRun(
  target: Target,
  serverPid: number,
  viewerCount: number,
  events: number,
  budgetMs: number,
  firstN: number,
): Promise<RunFigures> {
  const producer = await connectProducer(target);
  const viewers = await connectViewers(target, viewerCount);
  let peakRss = rssMb(serverPid);
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(serverPid))), 100);
  try {
    // Warm-up: a few hundred events through the whole path, then count from zero.
    const warm = Math.min(500, events);
    await Promise.all(Array.from({ length: warm }, (_, i) => producer.send(payloadOf(firstN + i))));
    await waitFor(() => viewers.every((viewer) => viewer.count >= warm), 'the warm-up to arrive', 30_000);
    for (const viewer of viewers) viewer.count = 0;

    let sent = 0;
    let acked = 0;
    let refused = 0;
    let inFlight = 0;
    const start = nowMs();
    const deadline = start + budgetMs;
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (inFlight < WINDOW && sent < events && nowMs() < deadline) {
          inFlight += 1;
          const n = firstN + warm + sent;
          sent += 1;
          void producer.send(payloadOf(n)).then((answer) => {
            inFlight -= 1;
            if (answer.ok) acked += 1;
            else refused += 1;
            pump();
          });
        }
        if (inFlight === 0) resolve();
      };
      pump();
    });
    await waitFor(
      () => viewers.every((viewer) => viewer.count >= acked) || nowMs() > deadline + 30_000,
      'every viewer to receive every event',
      60_000,
    );
    const elapsedMs = nowMs() - start;
    const counts = viewers.map((viewer) => viewer.count);
    const total = counts.reduce((a, b) => a + b, 0);
    return {
      viewers: viewerCount,
      sent,
      acked,
      refused,
      elapsedMs: round(elapsedMs),
      perViewerPerSecond: round(total / viewerCount / (elapsedMs / 1000), 0),
      deliveriesPerSecond: round(total / (elapsedMs / 1000), 0),
      minViewerCount: Math.min(...counts),
      peakRssMb: round(peakRss, 1),
    };
  } finally {
    clearInterval(rssTimer);
    closeAll(viewers);
    producer.close();
  }
}

export interface ThroughputDetails {
  daemon: RunFigures[];
  relay: RunFigures[];
}

export async function benchThroughput(options: BenchOptions) {
  const configs = options.quick
    ? [
        { viewers: 1, events: 5000 },
        { viewers: 10, events: 3000 },
        { viewers: 100, events: 600 },
      ]
    : [
        { viewers: 1, events: 20_000 },
        { viewers: 10, events: 10_000 },
        { viewers: 100, events: 2_000 },
      ];
  const budgetMs = options.quick ? 2000 : 5000;
  const daemon = await startBenchDaemon();
  const relay = await startBaseline('relay');
  const details: ThroughputDetails = { daemon: [], relay: [] };
  try {
    let n = 0;
    for (const config of configs) {
      details.daemon.push(await oneRun(daemon, daemon.pid, config.viewers, config.events, budgetMs, n));
      n += config.events + 1000;
      details.relay.push(await oneRun(relay, relay.pid, config.viewers, config.events, budgetMs, n));
      n += config.events + 1000;
    }
  } finally {
    await daemon.stop();
    await relay.stop();
  }
  const goals: Record<number, { text: string; min: number | null }> = {
    1: { text: '≥ 0.7× (DESIGN)', min: 0.7 },
    10: { text: '≥ 1.0×', min: 1.0 },
    100: { text: '≥ 2×', min: 2.0 },
  };
  const figures: Figure[] = details.daemon.map((run, i) => {
    const base = details.relay[i]!;
    const goal = goals[run.viewers]!;
    const ratio = run.perViewerPerSecond / base.perViewerPerSecond;
    return figure(
      `delivered events/s per viewer, ${run.viewers} viewer${run.viewers > 1 ? 's' : ''}`,
      'ev/s',
      run.perViewerPerSecond,
      base.perViewerPerSecond,
      'bare relay',
      goal.text,
      goal.min === null ? null : ratio >= goal.min,
    );
  });
  const peakDaemon = Math.max(...details.daemon.map((run) => run.peakRssMb));
  const peakRelay = Math.max(...details.relay.map((run) => run.peakRssMb));
  figures.push(
    figure('peak RSS under load', 'MB', peakDaemon, peakRelay, 'bare relay', 'bounded (report)', null),
  );
  return writeResult('throughput', options, figures, {
    window: WINDOW,
    eventBytes: 1024,
    budgetMs,
    ...details,
  });
}
