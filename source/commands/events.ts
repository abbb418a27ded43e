/**
 * `mpm-mon events`: query stored events or follow them live, as readable lines or NDJSON.
 * A query runs its filters over the whole stored history on the daemon (`history` with the filter) and
 * keeps `--last N`, printing page by page, oldest first (history-pages.ts); with the daemon down it
 * reads the journal on disk, streamed the same way.
 * `--follow` prints the query first when one was asked for, then hands over to the plain stream.
 */
import { daemonUrl, type DaemonAddress } from '../client/discover.js';
import { findDaemon } from './daemon-target.js';
import { DashboardClient } from '../client/dashboard-client.js';
import { homePaths, resolveHome } from '../config/home.js';
import { localizeCommand } from '../errors/localize.js';
import { invocation } from '../instance/invocation.js';
import {
  DaemonCertificateError,
  DaemonUnreachableError,
  ExportInterruptedError,
} from '../errors/connection-errors.js';
import type { MonEvent } from '../protocol/event.js';
import type { HistoryRequest } from '../protocol/messages.js';
import { eventMatcher, type EventFilter } from '../protocol/event-filter.js';
import { formatEventLine, runPlainStream } from '../tui/plain.js';
import { journalPages } from './events-disk.js';
import { historyPages } from './history-pages.js';
import { filterFromFlags, parseCount } from './query-flags.js';

export interface EventsOptions {
  json: boolean;
  color: boolean;
  follow: boolean;
  since?: string;
  until?: string;
  last?: string;
  session?: string;
  type?: string;
  configFlags?: Record<string, unknown>;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

const DEFAULT_LAST = 100;

/** How many to keep: --last N, else everything in a --since/--until range, else the last 100. */
function wanted(last: number | undefined, filter: EventFilter): number {
  if (last !== undefined) return last;
  const ranged =
    filter.after !== undefined ||
    filter.before !== undefined ||
    filter.sinceTime !== undefined ||
    filter.untilTime !== undefined;
  return ranged ? Number.POSITIVE_INFINITY : DEFAULT_LAST;
}

/** Writes a page of events as one chunk, waiting for a slow reader so no more than that is held. */
type Print = (events: MonEvent[]) => Promise<void>;

function printer(out: NodeJS.WritableStream, line: (event: MonEvent) => string): Print {
  return async (events) => {
    if (events.length === 0) return;
    if (out.write(`${events.map(line).join('\n')}\n`)) return;
    await new Promise<void>((resolve) => {
      out.once('drain', resolve);
    });
  };
}

/**
 * Prints the newest `want` stored events that pass the filter, oldest first, page by page as the daemon
 * answers. Resolves with the daemon's newest seq when asked (where --follow goes on from). A failure
 * before anything was printed rejects as it came (the caller may read the disk instead); one after
 * rejects with ExportInterruptedError, so nothing is printed twice.
 */
function queryDaemon(
  daemon: DaemonAddress,
  filter: EventFilter,
  want: number,
  print: Print,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let started = false;
    let printed = 0;
    let lastPrinted = 0;
    const fail = (error: unknown): void => {
      reject(
        printed === 0
          ? error instanceof Error
            ? error
            : new Error(String(error))
          : new ExportInterruptedError({
              host: daemon.host,
              port: daemon.port,
              printed,
              lastSeq: lastPrinted,
              cause: error,
            }),
      );
    };
    const client = new DashboardClient(
      {
        scheme: daemon.scheme,
        host: daemon.host,
        port: daemon.port,
        token: daemon.token,
        ...(daemon.tls ? { tls: daemon.tls } : {}),
      },
      {
        onHello: (hello) => {
          // A reconnect says hello again: the query runs once.
          if (started) return;
          started = true;
          void (async () => {
            const read = (request: HistoryRequest) => client.history(request);
            for await (const page of historyPages(read, filter, want, hello.lastSeq + 1)) {
              await print(page);
              printed += page.length;
              lastPrinted = page[page.length - 1]!.seq;
            }
            return hello.lastSeq;
          })()
            .then(resolve, fail)
            .finally(() => client.stop());
        },
        onState: (state) => {
          if (state.kind === 'reconnecting' && state.tls !== undefined) {
            client.stop();
            reject(new DaemonCertificateError({ url: daemonUrl(daemon), code: state.tls }));
          } else if (state.kind === 'reconnecting' && state.attempt >= 3) {
            client.stop();
            fail(new DaemonUnreachableError({ reason: 'hung', host: daemon.host, port: daemon.port }));
          }
        },
      },
    ).start();
  });
}

/**
 * The address to use: the daemon `url` names, else the running daemon's, on the port and host asked
 * for when they were given.
 */
function daemonFor(configFlags: Record<string, unknown>): DaemonAddress | null {
  const daemon = findDaemon();
  if (!daemon || daemon.remote) return daemon;
  const port = Number(configFlags.port);
  const host = typeof configFlags.host === 'string' ? configFlags.host : undefined;
  return {
    ...daemon,
    ...(configFlags.port !== undefined && Number.isInteger(port) ? { port } : {}),
    ...(host ? { host } : {}),
  };
}

export async function runEvents(options: EventsOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const filter = filterFromFlags(options, Date.now());
  const last = parseCount('last', options.last);
  const want = wanted(last, filter);
  const asked = last !== undefined || want !== DEFAULT_LAST;
  const daemon = daemonFor(options.configFlags ?? {});
  const line = (event: MonEvent): string => (options.json ? JSON.stringify(event) : formatEventLine(event));
  const print = printer(out, line);

  if (options.follow) {
    if (!daemon) throw new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 0 });
    let since: number | undefined;
    if (asked) since = await queryDaemon(daemon, filter, want, print);
    return runPlainStream({
      ...daemon,
      json: options.json,
      since,
      filter: eventMatcher({ ...filter, before: undefined, untilTime: undefined }),
      out,
      err,
    });
  }

  if (daemon) {
    try {
      await queryDaemon(daemon, filter, want, print);
      return 0;
    } catch (error) {
      // A daemon on another machine has no journal here to fall back on.
      if (!(error instanceof DaemonUnreachableError) || daemon.remote) throw error;
      notice(err, `the daemon on ${daemon.host}:${daemon.port} does not answer`);
    }
  } else {
    notice(err, 'the daemon is not running');
  }
  for await (const page of journalPages(homePaths(resolveHome()).journalDir, filter, want)) await print(page);
  return 0;
}

function notice(err: NodeJS.WritableStream, why: string): void {
  const dir = homePaths(resolveHome()).journalDir;
  const start = localizeCommand('mpm-mon start', invocation().command);
  err.write(`mpm-mon events: ${why}; reading the journal on disk (${dir}). For live events: ${start}\n`);
}
