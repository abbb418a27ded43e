/**
 * The Redis store with two daemons beside the embedded journal, in the same run: one producer on
 * /ingest (1 KB events, at most WINDOW unacked) and one viewer. For the journal both sit on one
 * daemon; for Redis the producer writes to daemon a and the viewer reads from daemon b, so every
 * event crosses Redis (script, stream, XREAD). Events/s until the viewer has them all, and the p99 of
 * the end-to-end latency (send → the viewer's arrival). Budget: Redis ≥ 0.5× the journal (DESIGN §3).
 */
import { startCluster } from '../test/e2e/cluster-harness.js';
import {
  closeAll,
  connectProducer,
  connectViewers,
  figure,
  nowMs,
  payloadOf,
  percentile,
  round,
  startBenchDaemon,
  waitFor,
  writeResult,
  type BenchOptions,
  type BenchResult,
  type Target,
} from './lib.js';

const WINDOW = 256;

interface Run {
  events: number;
  elapsedMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function run(producerAt: Target, viewerAt: Target, events: number): Promise<Run> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const viewers = await connectViewers(viewerAt, 1, (payload) => {
    const at = sentAt.get(String(payload.tool_use_id));
    if (at !== undefined) latencies.push(nowMs() - at);
  });
  const producer = await connectProducer(producerAt);
  try {
    const start = nowMs();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < events) {
        const n = next++;
        const payload = payloadOf(n);
        sentAt.set(`toolu_bench_${n}`, nowMs());
        const ack = await producer.send(payload);
        if (!ack.ok) throw new Error(`event ${n} refused: ${ack.error?.code ?? '?'}`);
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, lane));
    await waitFor(() => latencies.length >= events, `the viewer to receive ${events} events`, 120_000);
    const elapsedMs = nowMs() - start;
    return {
      events,
      elapsedMs: round(elapsedMs),
      perSecond: round((events / elapsedMs) * 1000),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
    };
  } finally {
    producer.close();
    closeAll(viewers);
  }
}

export async function benchRedis(options: BenchOptions): Promise<BenchResult> {
  const events = options.quick ? 5000 : 20_000;
  const journal = await startBenchDaemon();
  let journalRun: Run;
  try {
    journalRun = await run(journal, journal, events);
  } finally {
    await journal.stop();
  }
  const cluster = await startCluster();
  let redisRun: Run;
  try {
    const [a, b] = cluster.daemons;
    redisRun = await run(
      { port: a!.port, token: cluster.token },
      { port: b!.port, token: cluster.token },
      events,
    );
  } finally {
    await cluster.close();
  }
  return writeResult(
    'redis',
    options,
    [
      figure(
        'Redis store, two daemons: events/s producer → viewer',
        'ev/s',
        redisRun.perSecond,
        journalRun.perSecond,
        'embedded journal, one daemon',
        '>= 0.5x',
        redisRun.perSecond >= 0.5 * journalRun.perSecond,
      ),
      figure(
        'Redis store, two daemons: p99 end to end',
        'ms',
        redisRun.p99Ms,
        journalRun.p99Ms,
        'embedded journal, one daemon',
        'reported',
        null,
      ),
    ],
    { window: WINDOW, journal: journalRun, redis: redisRun },
  );
}
