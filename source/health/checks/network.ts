/**
 * The daemon as a client sees it: its own port answers GET /status correctly (and it is this process
 * answering, not another program on the port), and a probe event goes through the pipeline to delivery.
 * The second part catches a daemon that accepts connections but delivers nothing.
 */
import { request, type IncomingMessage } from 'node:http';
import { request as secureRequest } from 'node:https';
import { tlsConnectOptions, type TlsTrust } from '../../client/tls-trust.js';
import type { CheckResult } from '../../protocol/health.js';
import type { Config } from '../../config/schema.js';
import type { DaemonFacts, HealthCheck } from '../types.js';
import { isoNow, judged } from './result.js';

const MAX_STATUS_BYTES = 64 * 1024;

export interface StatusProbe {
  ok: boolean;
  latencyMs: number;
  detail: string;
}

/** GET http(s)://host:port/status; ok only for a 200 JSON answer naming `expectedPid`. */
export function fetchOwnStatus(
  host: string,
  port: number,
  expectedPid: number,
  signal: AbortSignal,
  tls?: TlsTrust,
): Promise<StatusProbe> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  return new Promise((resolve) => {
    const done = (ok: boolean, detail: string): void => resolve({ ok, latencyMs: elapsed(), detail });
    const options = { host, port, path: '/status', method: 'GET', agent: false, signal } as const;
    const send = tls
      ? (onAnswer: (res: IncomingMessage) => void) =>
          secureRequest({ ...options, ...tlsConnectOptions(tls) }, onAnswer)
      : (onAnswer: (res: IncomingMessage) => void) => request(options, onAnswer);
    const req = send((res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_STATUS_BYTES) {
          res.destroy();
          done(false, `/status answered more than ${MAX_STATUS_BYTES} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => done(false, `/status answer broke off: ${error.message}`));
      res.on('end', () => {
        if (res.statusCode !== 200) return done(false, `/status answered HTTP ${res.statusCode ?? '?'}`);
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return done(false, '/status answered something that is not JSON');
        }
        const pid = (body as { pid?: unknown } | null)?.pid;
        if (pid !== expectedPid) {
          return done(
            false,
            `/status on ${host}:${port} is answered by pid ${String(pid)}, not this daemon (${expectedPid})`,
          );
        }
        done(true, `/status answered in ${elapsed().toFixed(1)} ms`);
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      done(
        false,
        signal.aborted
          ? '/status did not answer in time'
          : `cannot reach ${host}:${port}: ${error.code ?? error.message}`,
      ),
    );
    req.end();
  });
}

export interface NetworkCheckOptions {
  facts: Pick<DaemonFacts, 'address' | 'probe'>;
  thresholds: Config['health']['thresholds'];
  now?: () => number;
  /** The pid /status must name (this process unless a test says otherwise). */
  expectedPid?: number;
}

export function createNetworkCheck(options: NetworkCheckOptions): HealthCheck {
  const now = options.now ?? Date.now;
  const expectedPid = options.expectedPid ?? process.pid;
  const threshold = options.thresholds.probeLatencyMs;
  return {
    name: 'network',
    async run(signal: AbortSignal): Promise<CheckResult[]> {
      const address = options.facts.address();
      if (!address) {
        const time = isoNow(now);
        const output = 'the daemon is not listening (starting or restarting)';
        return [
          judged(
            { name: 'network:status', value: null, unit: 'ms', threshold, output, status: 'fail' },
            time,
          ),
          judged(
            { name: 'network:delivery', value: null, unit: 'ms', threshold, output, status: 'fail' },
            time,
          ),
        ];
      }
      const [status, probe] = await Promise.all([
        fetchOwnStatus(address.host, address.port, expectedPid, signal, address.tls),
        options.facts
          .probe(signal)
          .catch((error: unknown) => ({ ok: false, latencyMs: 0, detail: `probe failed: ${String(error)}` })),
      ]);
      const time = isoNow(now);
      return [
        judged(
          {
            name: 'network:status',
            value: status.latencyMs,
            unit: 'ms',
            threshold,
            output: status.detail,
            ...(status.ok ? {} : { status: 'fail' as const }),
          },
          time,
        ),
        judged(
          {
            name: 'network:delivery',
            value: probe.ok ? probe.latencyMs : null,
            unit: 'ms',
            threshold,
            output: probe.detail,
            ...(probe.ok ? {} : { status: 'fail' as const }),
          },
          time,
        ),
      ];
    },
  };
}
