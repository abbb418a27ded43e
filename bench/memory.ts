/**
 * Benchmark 5: resident memory (VmRSS) of the daemon against the bare relay: idle, per connected
 * viewer at 100 and 1,000 websocket viewers (connected from this process), and at the peak of a
 * throughput run (10 viewers, 1 KB events as fast as acks allow).
 */
import {
  LOAD_CONFIG,
  closeAll,
  connectViewers,
  figure,
  round,
  settledRss,
  startBaseline,
  startBenchDaemon,
  waitFor,
  writeResult,
  type BenchOptions,
  type Figure,
} from './lib.js';
import { oneRun } from './throughput.js';

interface Server {
  pid: number;
  port: number;
  token: string;
}

interface MemoryRun {
  idleMb: number;
  viewers: Array<{ viewers: number; rssMb: number; perViewerKb: number }>;
  loadPeakMb: number;
}

async function measure(server: Server, viewerSteps: number[], loadEvents: number): Promise<MemoryRun> {
  const idleMb = await settledRss(server.pid);
  const steps: MemoryRun['viewers'] = [];
  for (const count of viewerSteps) {
    const viewers = await connectViewers(server, count);
    try {
      await waitFor(
        () => viewers.every((viewer) => viewer.socket.connected),
        `${count} viewers connected`,
        30_000,
      );
      const rss = await settledRss(server.pid);
      steps.push({
        viewers: count,
        rssMb: round(rss, 1),
        perViewerKb: round(((rss - idleMb) * 1024) / count, 1),
      });
    } finally {
      closeAll(viewers);
    }
  }
  const load = await oneRun(server, server.pid, 10, loadEvents, 5000, 0);
  return { idleMb: round(idleMb, 1), viewers: steps, loadPeakMb: load.peakRssMb };
}

export async function benchMemory(options: BenchOptions) {
  const steps = options.quick ? [100, 300] : [100, 1000];
  const loadEvents = options.quick ? 3000 : 10_000;
  // Many viewers mean many descriptors: lift the open-files check so recovery does not act mid-run,
  // and the connection limit (limits.maxConnections, 512 by default) above the largest step.
  const daemon = await startBenchDaemon({
    ...LOAD_CONFIG,
    health: { thresholds: { openFiles: { warn: 8000, fail: 16000 } } },
    limits: { maxConnections: 4096, maxPendingConnections: 2048 },
  });
  const relay = await startBaseline('relay');
  let mine: MemoryRun;
  let base: MemoryRun;
  try {
    mine = await measure(daemon, steps, loadEvents);
    base = await measure(relay, steps, loadEvents);
  } finally {
    await daemon.stop();
    await relay.stop();
  }
  const figures: Figure[] = [
    figure('idle RSS', 'MB', mine.idleMb, base.idleMb, 'bare relay', 'report', null),
  ];
  mine.viewers.forEach((step, i) => {
    const other = base.viewers[i]!;
    figures.push(
      figure(
        `RSS per viewer at ${step.viewers} viewers`,
        'KB',
        step.perViewerKb,
        other.perViewerKb,
        'bare relay',
        'report',
        null,
      ),
    );
  });
  figures.push(
    figure(
      `peak RSS under load (10 viewers, ${loadEvents} × 1 KB)`,
      'MB',
      mine.loadPeakMb,
      base.loadPeakMb,
      'bare relay',
      'bounded (report)',
      null,
    ),
  );
  return writeResult('memory', options, figures, { daemon: mine, relay: base });
}
