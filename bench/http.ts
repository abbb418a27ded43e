/**
 * Benchmark 4: POST /events from many short connections (a new connection per request, like the
 * hook): CONCURRENCY clients, requests/s and p99, the daemon against a bare node:http server that
 * reads the body and answers 202.
 */
import { request } from 'node:http';
import {
  figure,
  nowMs,
  payloadOf,
  percentile,
  round,
  startBaseline,
  startBenchDaemon,
  writeResult,
  type BenchOptions,
  type Target,
} from './lib.js';

const CONCURRENCY = 8;

function post(target: Target, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: 'POST',
        path: '/events',
        agent: false,
        timeout: 10_000,
        headers: {
          authorization: `Bearer ${target.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end(body);
  });
}

export interface HttpRun {
  requests: number;
  accepted: number;
  elapsedMs: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function load(target: Target, requests: number, firstN: number): Promise<HttpRun> {
  const latencies: number[] = [];
  let next = 0;
  let accepted = 0;
  const start = nowMs();
  const client = async (): Promise<void> => {
    while (next < requests) {
      const n = firstN + next++;
      const body = JSON.stringify(payloadOf(n, 1024));
      const t0 = nowMs();
      const status = await post(target, body);
      latencies.push(nowMs() - t0);
      if (status === 202) accepted += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const elapsedMs = nowMs() - start;
  return {
    requests,
    accepted,
    elapsedMs: round(elapsedMs),
    perSecond: round(requests / (elapsedMs / 1000), 0),
    p50: round(percentile(latencies, 50), 3),
    p99: round(percentile(latencies, 99), 3),
  };
}

export async function benchHttp(options: BenchOptions) {
  const requests = options.quick ? 600 : 2000;
  const daemon = await startBenchDaemon();
  const bare = await startBaseline('http-202');
  let mine: HttpRun;
  let base: HttpRun;
  try {
    await load(daemon, 200, 10_000_000); // warm-up
    await load(bare, 200, 10_000_000);
    mine = await load(daemon, requests, 0);
    base = await load(bare, requests, 0);
  } finally {
    await daemon.stop();
    await bare.stop();
  }
  if (mine.accepted !== requests) throw new Error(`the daemon accepted ${mine.accepted} of ${requests}`);
  const figures = [
    figure(
      'POST /events requests/s, new connection each',
      'req/s',
      mine.perSecond,
      base.perSecond,
      'node:http 202',
      'report',
      null,
    ),
    figure('POST /events p99', 'ms', mine.p99, base.p99, 'node:http 202', 'report', null),
  ];
  return writeResult('http', options, figures, {
    concurrency: CONCURRENCY,
    eventBytes: 1024,
    daemon: mine,
    bare: base,
  });
}
