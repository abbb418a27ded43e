/**
 * `mpm-mon events`: query stored events or follow them live, as readable lines or NDJSON.
 * A query runs its filters over the whole stored history on the daemon (`history` with the filter,
 * paged backwards) and only then keeps `--last N`; with the daemon down it reads the journal on disk.
 * `--follow` prints the query first when one was asked for, then hands over to the plain stream.
 */
import { daemonUrl, type DaemonAddress } from '../client/discover.js';
import { findDaemon } from './daemon-target.js';
import { DashboardClient } from '../client/dashboard-client.js';
import { homePaths, resolveHome } from '../config/home.js';
import { localizeCommand } from '../errors/localize.js';
import { invocation } from '../instance/invocation.js';
import { DaemonCertificateError, DaemonUnreachableError } from '../errors/connection-errors.js';
import type { MonEvent } from '../protocol/event.js';
import { eventMatcher, type EventFilter } from '../protocol/event-filter.js';
import { formatEventLine, runPlainStream } from '../tui/plain.js';
import { readJournalDir } from './events-disk.js';
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
/** The daemon's most per `history` request. */
const PAGE = 5000;

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

interface Query {
  events: MonEvent[];
  /** The daemon's newest seq when asked (where --follow goes on from). */
  lastSeq: number;
}

/** The newest `want` stored events that pass the filter, oldest first, asked of the daemon page by page. */
function queryDaemon(daemon: DaemonAddress, filter: EventFilter, want: number): Promise<Query> {
  return new Promise((resolve, reject) => {
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
          void (async () => {
            let events: MonEvent[] = [];
            let before = Math.min(filter.before ?? Number.POSITIVE_INFINITY, hello.lastSeq + 1);
            while (events.length < want && before > 1) {
              const limit = Math.min(PAGE, want - events.length);
              const page = await client.history({ ...filter, before, limit });
              events = [...page, ...events];
              if (page.length < limit) break;
              before = page[0]!.seq;
            }
            return { events, lastSeq: hello.lastSeq };
          })()
            .then(resolve, reject)
            .finally(() => client.stop());
        },
        onState: (state) => {
          if (state.kind === 'reconnecting' && state.tls !== undefined) {
            client.stop();
            reject(new DaemonCertificateError({ url: daemonUrl(daemon), code: state.tls }));
          } else if (state.kind === 'reconnecting' && state.attempt >= 3) {
            client.stop();
            reject(new DaemonUnreachableError({ reason: 'hung', host: daemon.host, port: daemon.port }));
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

  if (options.follow) {
    if (!daemon) throw new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 0 });
    let since: number | undefined;
    if (asked) {
      const query = await queryDaemon(daemon, filter, want);
      for (const event of query.events) out.write(`${line(event)}\n`);
      since = query.lastSeq;
    }
    return runPlainStream({
      ...daemon,
      json: options.json,
      since,
      filter: eventMatcher({ ...filter, before: undefined, untilTime: undefined }),
      out,
      err,
    });
  }

  let events: MonEvent[];
  if (daemon) {
    try {
      events = (await queryDaemon(daemon, filter, want)).events;
    } catch (error) {
      // A daemon on another machine has no journal here to fall back on.
      if (!(error instanceof DaemonUnreachableError) || daemon.remote) throw error;
      events = await fromDisk(
        err,
        filter,
        want,
        `the daemon on ${daemon.host}:${daemon.port} does not answer`,
      );
    }
  } else {
    events = await fromDisk(err, filter, want, 'the daemon is not running');
  }
  for (const event of events) out.write(`${line(event)}\n`);
  return 0;
}

async function fromDisk(
  err: NodeJS.WritableStream,
  filter: EventFilter,
  want: number,
  why: string,
): Promise<MonEvent[]> {
  const dir = homePaths(resolveHome()).journalDir;
  const start = localizeCommand('mpm-mon start', invocation().command);
  err.write(`mpm-mon events: ${why}; reading the journal on disk (${dir}). For live events: ${start}\n`);
  return readJournalDir(dir, filter, want);
}
