/** When stdout is not a terminal: the live stream as readable lines (or NDJSON), no Ink, no React. */
import { terminalSafe } from '../protocol/terminal-text.js';
import { DashboardClient, type ConnectionState } from '../client/dashboard-client.js';
import type { TlsTrust } from '../client/tls-trust.js';
import type { MonEvent } from '../protocol/event.js';
import { exitCodeForSignal } from '../instance/signals.js';
import { summarize } from './state/summary.js';

export interface PlainStreamOptions {
  host: string;
  port: number;
  token: string;
  scheme?: 'http' | 'https';
  tls?: TlsTrust;
  json: boolean;
  since?: number;
  /** Without `since`: start with the last N stored events. */
  last?: number;
  out?: NodeJS.WritableStream;
  /** Connection notices go here, so stdout stays pure data. */
  err?: NodeJS.WritableStream;
  /** Only these events are printed (`events --follow --type …`). */
  filter?: (event: MonEvent) => boolean;
  /** Aborting ends the stream with exit code 0; SIGINT with 130 and SIGTERM with 143, as shells expect. */
  signal?: AbortSignal;
}

/** One readable line; when it happened (a spooled event keeps its time); producer text made terminal-safe. */
export function formatEventLine(event: MonEvent): string {
  const at = event.occurredAt ?? event.receivedAt;
  const time = at.slice(11, 23) || at;
  const parts = [time, `#${event.seq}`, event.type, event.sessionId.slice(0, 8)];
  if (event.tool) parts.push(event.tool);
  const summary = summarize(event);
  if (summary) parts.push(summary);
  return terminalSafe(parts.join('  ')).replace(/[\n\t]/g, ' ');
}

export function describeConnection(state: ConnectionState): string | null {
  switch (state.kind) {
    case 'connected':
      return `connected (resuming after seq ${state.since})`;
    case 'reconnecting':
      return state.inMs > 0
        ? `reconnecting in ${(state.inMs / 1000).toFixed(1)}s (attempt ${state.attempt})${state.error ? `: ${state.error}` : ''}`
        : null;
    case 'stopped':
      return `daemon stopped: ${state.reason}${state.restarting ? ' (restarting)' : ''}`;
    default:
      return null;
  }
}

export function runPlainStream(options: PlainStreamOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  return new Promise((resolve) => {
    let done = false;
    const client = new DashboardClient(
      {
        host: options.host,
        port: options.port,
        token: options.token,
        scheme: options.scheme,
        tls: options.tls,
        since: options.since,
        last: options.last,
      },
      {
        onEvents: (batch) => {
          const events = options.filter ? batch.filter(options.filter) : batch;
          if (events.length === 0) return;
          const text = events
            .map((event) => (options.json ? JSON.stringify(event) : formatEventLine(event)))
            .join('\n');
          out.write(`${text}\n`);
        },
        onState: (state) => {
          const line = describeConnection(state);
          if (line) err.write(`mpm-mon: ${line}\n`);
        },
        onGap: (gap) => err.write(`mpm-mon: events ${gap.from}..${gap.to} could not be replayed\n`),
      },
    );
    const finish = (code: number) => {
      if (done) return;
      done = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      options.signal?.removeEventListener('abort', onAbort);
      out.off('error', onOutError);
      client.stop();
      resolve(code);
    };
    const onSignal = (signal: NodeJS.Signals) => finish(exitCodeForSignal(signal));
    const onAbort = () => finish(0);
    // A closed pipe (`| head`) is a normal end, not a crash.
    const onOutError = (error: NodeJS.ErrnoException) => finish(error.code === 'EPIPE' ? 0 : 1);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    out.on('error', onOutError);
    if (options.signal?.aborted) return finish(0);
    client.start();
  });
}
