/**
 * Benchmark 6, the soak: paced events (default 1,000/s) with one viewer attached, for `--minutes N`
 * (default 10), into the daemon and, at the same time, into the bare relay. Both processes' RSS is
 * sampled from /proc/PID/status every few seconds; the figure is the least-squares RSS slope in MB/min
 * after a warm-up long enough for the bounded structures (ring, dedupe window) to fill. Flat is the goal.
 *
 *   npm run soak                      10 minutes → bench/results/soak-10min.json
 *   npm run soak -- --minutes 2
 * `npm run bench` runs a 30-second soak (with a smaller ring and dedupe window, so they fill early).
 */
import { pathToFileURL } from 'node:url';
import {
  LOAD_CONFIG,
  closeAll,
  connectProducer,
  connectViewers,
  figure,
  nowMs,
  payloadOf,
  round,
  rssMb,
  slope,
  sleep,
  startBaseline,
  startBenchDaemon,
  waitFor,
  writeResult,
  type BenchOptions,
  type Target,
} from './lib.js';

export interface SoakOptions extends BenchOptions {
  seconds: number;
  rate: number;
  /** Result name and the command that reproduces it. */
  name?: string;
  command?: string;
}

interface SoakSide {
  sent: number;
  received: number;
  refused: number;
  samples: Array<[number, number]>;
}

/** Feeds `target` at `rate` until `stop()` says so; samples the server's RSS. */
async function feed(
  target: Target,
  pid: number,
  rate: number,
  ms: number,
  sampleMs: number,
): Promise<SoakSide> {
  const producer = await connectProducer(target);
  const viewers = await connectViewers(target, 1);
  const side: SoakSide = { sent: 0, received: 0, refused: 0, samples: [] };
  const start = nowMs();
  let nextSample = 0;
  try {
    for (let tick = 0; tick < ms * 2 + 1000; tick++) {
      const elapsed = nowMs() - start;
      if (elapsed >= ms) break;
      const due = Math.floor((elapsed * rate) / 1000) + 1 - side.sent;
      for (let i = 0; i < due; i++) {
        void producer.send(payloadOf(side.sent, 1024)).then((answer) => {
          if (!answer.ok) side.refused += 1;
        });
        side.sent += 1;
      }
      if (elapsed >= nextSample) {
        side.samples.push([elapsed / 60_000, rssMb(pid)]);
        nextSample += sampleMs;
      }
      await sleep(1);
    }
    await waitFor(() => viewers[0]!.count >= side.sent - side.refused, 'the viewer to catch up', 30_000);
    side.received = viewers[0]!.count;
    return side;
  } finally {
    closeAll(viewers);
    producer.close();
  }
}

export async function benchSoak(options: SoakOptions) {
  const short = options.seconds < 120;
  // Short soaks shrink the ring and the dedupe window so that they are full well before the end.
  const events = short
    ? { ...LOAD_CONFIG.events, ringSize: 3000, dedupeWindowMs: 3000 }
    : { ...LOAD_CONFIG.events, ringSize: 10_000, dedupeWindowMs: 60_000 };
  const warmupSeconds =
    Math.max(events.ringSize / options.rate, events.dedupeWindowMs / 1000) + (short ? 3 : 5);
  const sampleMs = short ? 1000 : 5000;
  const daemon = await startBenchDaemon({ ...LOAD_CONFIG, events });
  const relay = await startBaseline('relay');
  let mine: SoakSide;
  let base: SoakSide;
  try {
    [mine, base] = await Promise.all([
      feed(daemon, daemon.pid, options.rate, options.seconds * 1000, sampleMs),
      feed(relay, relay.pid, options.rate, options.seconds * 1000, sampleMs),
    ]);
  } finally {
    await daemon.stop();
    await relay.stop();
  }
  const after = (side: SoakSide) => side.samples.filter(([minutes]) => minutes * 60 >= warmupSeconds);
  const mineSlope = slope(after(mine));
  const baseSlope = slope(after(base));
  const last = (side: SoakSide) => side.samples.at(-1)?.[1] ?? NaN;
  const figures = [
    {
      ...figure(
        `RSS slope after ${warmupSeconds} s warm-up`,
        'MB/min',
        mineSlope,
        baseSlope,
        'bare relay',
        'flat (≤ 1 MB/min)',
        mineSlope <= 1,
      ),
      // A ratio of two slopes near zero says nothing; both slopes stand side by side instead.
      ratio: null,
    },
    figure(
      'RSS at the end of the soak',
      'MB',
      last(mine),
      last(base),
      'bare relay',
      'bounded (report)',
      null,
    ),
  ];
  const name = options.name ?? 'soak';
  return writeResult(
    name,
    options,
    figures,
    {
      seconds: options.seconds,
      rate: options.rate,
      warmupSeconds,
      sampleMs,
      daemonConfig: { events },
      daemon: { ...mine, samples: mine.samples.map(([m, mb]) => [round(m, 3), round(mb, 1)]) },
      relay: { ...base, samples: base.samples.map(([m, mb]) => [round(m, 3), round(mb, 1)]) },
    },
    options.command,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const index = process.argv.indexOf('--minutes');
  const minutes = index > 0 ? Number(process.argv[index + 1]) : 10;
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--minutes must be a positive number');
  const result = await benchSoak({
    quick: false,
    seconds: minutes * 60,
    rate: 1000,
    name: `soak-${minutes}min`,
    command: `npm run soak -- --minutes ${minutes}`,
  });
  process.stdout.write(`${JSON.stringify(result.figures, null, 2)}\n`);
  process.exit(0);
}
