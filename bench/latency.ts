/**
 * Benchmark 3: paced 100 and 1,000 events/s for a few seconds to 10 viewers; end-to-end latency from
 * the producer's timestamp in the payload to each viewer's receipt (same process, one clock), the
 * daemon against the bare relay. The daemon is also measured with `viewers.batchMs: 0`, to show what
 * its batching window costs.
 */
import {
  LOAD_CONFIG,
  closeAll,
  connectProducer,
  connectViewers,
  figure,
  nowMs,
  payloadOf,
  percentile,
  round,
  sleep,
  startBaseline,
  startBenchDaemon,
  waitFor,
  writeResult,
  type BenchOptions,
  type Figure,
  type Target,
} from './lib.js';

const VIEWERS = 10;

export interface LatencyRun {
  rate: number;
  sent: number;
  received: number;
  p50: number;
  p99: number;
  max: number;
}

export async function pacedRun(
  target: Target,
  rate: number,
  seconds: number,
  firstN: number,
  viewerCount = VIEWERS,
): Promise<LatencyRun> {
  const producer = await connectProducer(target);
  const latencies: number[] = [];
  let recording = false;
  const viewers = await connectViewers(target, viewerCount, (payload) => {
    if (recording && typeof payload.bench_t === 'number') latencies.push(performance.now() - payload.bench_t);
  });
  try {
    // Warm-up at the same rate for a fraction of the run, not recorded.
    let n = firstN;
    const pace = async (ms: number): Promise<number> => {
      const start = nowMs();
      let sent = 0;
      for (let tick = 0; tick < ms * 2 + 1000; tick++) {
        const elapsed = nowMs() - start;
        if (elapsed >= ms) break;
        const due = Math.floor((elapsed * rate) / 1000) + 1 - sent;
        for (let i = 0; i < due; i++) {
          void producer.send(payloadOf(n++, 1024, { bench_t: performance.now() }));
          sent += 1;
        }
        await sleep(1);
      }
      return sent;
    };
    const warm = await pace(Math.min(1000, seconds * 250));
    await waitFor(() => viewers.every((viewer) => viewer.count >= warm), 'the warm-up to arrive', 20_000);
    for (const viewer of viewers) viewer.count = 0;
    recording = true;
    const sent = await pace(seconds * 1000);
    await waitFor(
      () => viewers.every((viewer) => viewer.count >= sent),
      'every viewer to receive every event',
      20_000,
    );
    recording = false;
    return {
      rate,
      sent,
      received: latencies.length,
      p50: round(percentile(latencies, 50), 3),
      p99: round(percentile(latencies, 99), 3),
      max: round(Math.max(...latencies), 3),
    };
  } finally {
    closeAll(viewers);
    producer.close();
  }
}

export async function benchLatency(options: BenchOptions) {
  const seconds = options.quick ? 1.5 : 4;
  const rates = [100, 1000];
  const daemon = await startBenchDaemon();
  const unbatched = await startBenchDaemon({
    ...LOAD_CONFIG,
    viewers: { ...LOAD_CONFIG.viewers, batchMs: 0 },
  });
  const relay = await startBaseline('relay');
  const runs: Record<string, LatencyRun[]> = { daemon: [], relay: [], daemonBatchMs0: [] };
  try {
    let n = 0;
    for (const rate of rates) {
      runs.daemon!.push(await pacedRun(daemon, rate, seconds, n));
      n += rate * seconds * 2 + 1000;
      runs.relay!.push(await pacedRun(relay, rate, seconds, n));
      n += rate * seconds * 2 + 1000;
    }
    runs.daemonBatchMs0!.push(await pacedRun(unbatched, 1000, seconds, n));
  } finally {
    await daemon.stop();
    await unbatched.stop();
    await relay.stop();
  }
  const figures: Figure[] = [];
  rates.forEach((rate, i) => {
    const mine = runs.daemon![i]!;
    const base = runs.relay![i]!;
    figures.push(
      figure(
        `p50 latency at ${rate} ev/s, 10 viewers`,
        'ms',
        mine.p50,
        base.p50,
        'bare relay',
        'report',
        null,
      ),
    );
    figures.push(
      figure(
        `p99 latency at ${rate} ev/s, 10 viewers`,
        'ms',
        mine.p99,
        base.p99,
        'bare relay',
        rate === 1000 ? '≤ 5 ms (DESIGN < 10 ms)' : 'report',
        rate === 1000 ? mine.p99 <= 5 : null,
      ),
    );
  });
  const zero = runs.daemonBatchMs0![0]!;
  const relay1000 = runs.relay![1]!;
  figures.push(
    figure(
      'p99 latency at 1000 ev/s, viewers.batchMs 0',
      'ms',
      zero.p99,
      relay1000.p99,
      'bare relay',
      '≤ 5 ms',
      zero.p99 <= 5,
    ),
  );
  return writeResult('latency', options, figures, { viewers: VIEWERS, seconds, eventBytes: 1024, ...runs });
}
