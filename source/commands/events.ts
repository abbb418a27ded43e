/** `mpm-mon events`: query stored events or follow them live, as readable lines or NDJSON. */
import { discoverDaemon } from '../client/discover.js';
import { DashboardClient } from '../client/dashboard-client.js';
import { DaemonUnreachableError } from '../errors/connection-errors.js';
import { MpmError } from '../errors/base.js';
import type { MonEvent } from '../protocol/event.js';
import { formatEventLine } from '../tui/plain.js';

export interface EventsOptions {
  json: boolean;
  color: boolean;
  follow: boolean;
  since?: string;
  last?: string;
  session?: string;
  type?: string;
}

const DEFAULT_LAST = 100;

function nonNegativeInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new MpmError(
      'INVALID_FLAG',
      `invalid value ${JSON.stringify(value)} for --${flag}: expected a whole number >= 0`,
      {
        context: { flag, value },
        steps: [`Run again with --${flag} N, e.g. --${flag} 0.`],
      },
    );
  }
  return number;
}

export async function runEvents(options: EventsOptions): Promise<number> {
  const since = nonNegativeInt('since', options.since);
  const last = nonNegativeInt('last', options.last);
  const found = discoverDaemon();
  if (!found.ok) throw new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 0 });
  const { daemon } = found;
  const matches = (event: MonEvent): boolean =>
    (!options.session ||
      event.sessionId === options.session ||
      event.sessionId.startsWith(options.session)) &&
    (!options.type || event.type === options.type);
  const print = (event: MonEvent): void => {
    if (!matches(event)) return;
    process.stdout.write(`${options.json ? JSON.stringify(event) : formatEventLine(event)}\n`);
  };

  return new Promise<number>((resolve) => {
    let target: number | null = null;
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      client.stop();
      resolve(code);
    };
    const client = new DashboardClient(
      {
        host: daemon.host,
        port: daemon.port,
        token: daemon.token,
        ...(since !== undefined
          ? { since }
          : options.follow && last === undefined
            ? {}
            : { last: last ?? DEFAULT_LAST }),
      },
      {
        onHello: (hello) => {
          target ??= hello.lastSeq;
          if (
            !options.follow &&
            (hello.replay === null || hello.replay.count === 0 || client.lastSeq >= target)
          )
            finish(0);
        },
        onEvents: (events) => {
          for (const event of events) print(event);
          if (!options.follow && target !== null && client.lastSeq >= target) finish(0);
        },
        onState: (state) => {
          if (!options.follow && state.kind === 'reconnecting' && state.attempt >= 3) {
            process.stderr.write(
              `mpm-mon events: cannot reach the daemon on ${daemon.host}:${daemon.port} (${state.error ?? 'no answer'})\n`,
            );
            finish(1);
          }
        },
        onShutdown: (message) => {
          if (!options.json)
            process.stderr.write(
              `mpm-mon: daemon went away: ${message.reason}${message.restarting ? ' (restarting)' : ''}\n`,
            );
        },
      },
    ).start();
    process.once('SIGINT', () => finish(0));
    process.once('SIGTERM', () => finish(0));
  });
}
