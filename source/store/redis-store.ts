/**
 * `store.kind: redis`: the events in one Redis Stream shared by every daemon of a cluster (DESIGN §4).
 *
 * - Append: one Lua script per batch checks each event's dedupe key, takes the next seq (INCR), adds
 *   the entry with the explicit id `<seq>-0` (XADD MAXLEN ~) and sets the dedupe key with an expiry,
 *   atomically: one global seq, and a retried event gets its first seq back. Concurrent appends share
 *   a batch (group commit), so many producers cost few round trips.
 * - Live: one XREAD BLOCK loop per daemon on a connection of its own feeds every tail.
 * - Replay: XRANGE in pages (through the shared `tail` helper).
 * - Redis down: commands fail at once (no offline queue, no replay of sent commands), appends reject
 *   with StoreUnavailableError (503 `store_unavailable`), both connections retry with backoff, and the
 *   live loop resumes from the last id it saw, so nothing is skipped when Redis returns.
 * - Heartbeats: each daemon writes its node record to a hash every few seconds and reads the others'.
 */
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { maskUrl, parseRedisUrl } from '../config/redis-url.js';
import type { Logger } from '../instance/logger-types.js';
import type { MonEvent } from '../protocol/event.js';
import type { ClusterNode } from '../protocol/messages.js';
import { GroupCommit } from './group-commit.js';
import { GuardedConnector } from './redis-connector.js';
import type { RedisCredentials } from './redis-files.js';
import { Fanout, tailFrom } from './tail.js';
import { aboveSeq, eventsAsJson } from './event-line.js';
import type { Appended, EventDraft, EventStore, SeqJson, StoreStats } from './types.js';
import { RedisUnreachableError, StoreUnavailableError } from './unavailable.js';

/** Lua: KEYS = stream, seq counter, then one dedupe key per event; ARGV = maxLen, ttl ms, then the JSON. */
const APPEND_SCRIPT = `
local stream, counter = KEYS[1], KEYS[2]
if redis.call('EXISTS', counter) == 0 then
  local newest = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
  if #newest > 0 then
    redis.call('SET', counter, string.match(newest[1][1], '^(%d+)'))
  end
end
local out = {}
for i = 3, #KEYS do
  local seen = redis.call('GET', KEYS[i])
  if seen then
    out[#out + 1] = -tonumber(seen)
  else
    local seq = redis.call('INCR', counter)
    local json = ARGV[i]
    redis.call('XADD', stream, 'MAXLEN', '~', ARGV[1], seq .. '-0', 'e',
      '{"seq":' .. seq .. ',' .. string.sub(json, 2))
    redis.call('SET', KEYS[i], seq, 'PX', ARGV[2])
    out[#out + 1] = seq
  end
end
return out
`;

/** Events per script call: a script blocks Redis while it runs, so big batches are cut. */
const SCRIPT_BATCH = 256;
const XREAD_BLOCK_MS = 1000;
const XREAD_COUNT = 1000;
const HEARTBEAT_MS = 2000;
/** A node whose heartbeat is older than this is not listed as a peer. */
const PEER_STALE_MS = 3 * HEARTBEAT_MS + 1000;
/** A node record older than this is removed from the hash. */
const NODE_FORGET_MS = 60_000;

/** One daemon's heartbeat record (the wire shape of a cluster node). */
export type NodeRecord = ClusterNode;

export interface RedisStoreOptions {
  url: string;
  /** The password and TLS files' contents (store.redis.passwordFile, store.redis.tls.*). */
  credentials?: RedisCredentials;
  prefix: string;
  maxLen: number;
  /** How long a content id keeps its first seq (events.dedupeWindowMs). */
  dedupeTtlMs: number;
  /** This daemon's record for the heartbeat (its port, and so its default name, is known only once it listens). */
  describeNode: () => Omit<NodeRecord, 'seenAt'>;
  logger: Logger;
  /** Longest wait for the first connection at start-up. */
  connectTimeoutMs?: number;
}

export interface RedisStoreStats extends StoreStats {
  url: string;
  prefix: string;
  connected: boolean;
  /** Entries in the stream now (XLEN, at the last heartbeat). */
  streamLength: number;
  maxLen: number;
  nodeId: string;
  /** The other daemons with a fresh heartbeat. */
  peers: NodeRecord[];
  reconnects: number;
}

interface Pending {
  draft: EventDraft;
  seq: number;
  duplicate: boolean;
}

type AppendCommand = (numKeys: number, ...args: (string | number)[]) => Promise<number[]>;

export class RedisStore implements EventStore {
  private readonly commands: Redis;
  private readonly blocking: Redis;
  private readonly keys: { stream: string; seq: string; nodes: string; dedupe: string };
  private readonly fanout = new Fanout();
  private readonly commit: GroupCommit<Pending>;
  private newestSeq = 0;
  private oldestSeq = 0;
  private streamLength = 0;
  private writeErrors = 0;
  private lastWriteFailed = false;
  private reconnects = 0;
  private peers: NodeRecord[] = [];
  private closed = false;
  private heartbeat: NodeJS.Timeout | null = null;
  /** The name this daemon's heartbeat was last written under. */
  private beatAs: string | null = null;
  private following: Promise<void> | null = null;
  /** Why the last connection attempt failed (a TLS or AUTH refusal says more than "Connection is closed"). */
  private lastConnectionError: Error | null = null;

  private constructor(private readonly options: RedisStoreOptions) {
    const connection = redisConnection(options.url, options.credentials);
    const common: RedisOptions = {
      ...connection,
      // Fail fast while Redis is away (→ 503) instead of queueing or replaying commands later.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      lazyConnect: true,
      connectTimeout: 2000,
      Connector: GuardedConnector,
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    };
    this.commands = new Redis({ ...common, commandTimeout: 5000, connectionName: 'mpm-mon' });
    this.blocking = new Redis({ ...common, connectionName: 'mpm-mon-tail' });
    this.commands.defineCommand('mpmAppend', { lua: APPEND_SCRIPT });
    const prefix = options.prefix;
    this.keys = {
      stream: `${prefix}:events`,
      seq: `${prefix}:seq`,
      nodes: `${prefix}:nodes`,
      dedupe: `${prefix}:dedupe:`,
    };
    this.commit = new GroupCommit((batch) => this.writeBatch(batch));
    for (const client of [this.commands, this.blocking]) {
      client.on('error', (error: Error) => {
        this.lastConnectionError = error;
        this.options.logger.debug('redis: connection error', { error: error.message });
      });
    }
    this.commands.on('reconnecting', () => {
      this.reconnects++;
    });
    this.commands.on('ready', () => {
      if (this.reconnects > 0)
        this.options.logger.info('redis: connected again', { url: maskUrl(this.options.url) });
    });
    this.commands.on('close', () => {
      if (!this.closed)
        this.options.logger.warn('redis: connection lost; retrying', { url: maskUrl(this.options.url) });
    });
  }

  /** Connects (both connections), reads where the stream stands and starts the live loop. */
  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(options);
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    try {
      await withTimeout(Promise.all([store.commands.connect(), store.blocking.connect()]), timeoutMs);
      await store.refresh();
    } catch (error) {
      store.closed = true;
      store.commands.disconnect();
      store.blocking.disconnect();
      const cause = store.lastConnectionError ?? error;
      throw new RedisUnreachableError({
        url: maskUrl(options.url),
        reason: cause instanceof Error ? cause.message : String(cause),
        hint: openHint(options.url, cause),
      });
    }
    store.following = store.follow();
    store.heartbeat = setInterval(() => void store.beat(), HEARTBEAT_MS).unref();
    void store.beat();
    options.logger.info('redis store: connected', {
      url: maskUrl(options.url),
      prefix: options.prefix,
      lastSeq: store.newestSeq,
      streamLength: store.streamLength,
    });
    return store;
  }

  get lastSeq(): number {
    return this.newestSeq;
  }

  /** The other daemons with a fresh heartbeat, by name. */
  get peerNodes(): readonly NodeRecord[] {
    return this.peers;
  }

  append(drafts: readonly EventDraft[]): Promise<Appended[]> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('append', 'the store is closed'));
    if (drafts.length === 0) return Promise.resolve([]);
    const pending = drafts.map((draft) => ({ draft, seq: 0, duplicate: false }));
    return this.commit
      .submit(pending)
      .then(() =>
        pending.map((item) =>
          item.duplicate
            ? { ...stored(item.draft, item.seq), duplicate: true }
            : stored(item.draft, item.seq),
        ),
      );
  }

  async readSince(since: number, limit: number): Promise<MonEvent[]> {
    if (limit <= 0) return [];
    const entries = await this.call(() =>
      this.commands.xrange(this.keys.stream, `${since + 1}-0`, '+', 'COUNT', limit),
    );
    return parseEntries(entries);
  }

  async readBefore(
    before: number,
    limit: number,
    filter?: (event: MonEvent) => boolean,
  ): Promise<MonEvent[]> {
    if (limit <= 0 || before <= 1) return [];
    const found: MonEvent[] = [];
    let end = `${before - 1}-0`;
    // A filter may reject most entries: bounded pages, so a rare match costs a bounded scan.
    for (let page = 0; page < 50 && found.length < limit; page++) {
      const entries = await this.call(() =>
        this.commands.xrevrange(this.keys.stream, end, '-', 'COUNT', Math.max(limit, 500)),
      );
      const events = parseEntries(entries);
      for (const event of events) if (!filter || filter(event)) found.push(event);
      const lowest = events.at(-1);
      if (!lowest || lowest.seq <= 1 || events.length < Math.max(limit, 500)) break;
      end = `${lowest.seq - 1}-0`;
    }
    return found.slice(0, limit).reverse();
  }

  async readBeforeJson(
    before: number,
    limit: number,
    filter?: (event: MonEvent) => boolean,
    after = 0,
  ): Promise<SeqJson[]> {
    const inRange = aboveSeq(after, filter);
    return eventsAsJson(await this.readBefore(before, limit, inRange));
  }

  tail(since: number, signal?: AbortSignal): AsyncIterable<MonEvent[]> {
    return tailFrom(since, (from, limit) => this.readSince(from, limit), this.fanout.subscribe, signal);
  }

  stats(): RedisStoreStats {
    return {
      kind: 'redis',
      lastSeq: this.newestSeq,
      firstSeq: this.oldestSeq,
      segments: 0,
      bytes: 0,
      corruptLines: 0,
      writeErrors: this.writeErrors,
      writable: this.connected && !this.lastWriteFailed,
      url: maskUrl(this.options.url),
      prefix: this.options.prefix,
      connected: this.connected,
      streamLength: this.streamLength,
      maxLen: this.options.maxLen,
      nodeId: this.beatAs ?? '',
      peers: this.peers,
      reconnects: this.reconnects,
    };
  }

  get connected(): boolean {
    return this.commands.status === 'ready';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.commit.idle();
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.connected && this.beatAs) await this.commands.hdel(this.keys.nodes, this.beatAs).catch(() => 0);
    this.blocking.disconnect();
    await this.following?.catch(() => undefined);
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const append = (this.commands as unknown as { mpmAppend: AppendCommand }).mpmAppend.bind(this.commands);
    for (let from = 0; from < batch.length; from += SCRIPT_BATCH) {
      const chunk = batch.slice(from, from + SCRIPT_BATCH);
      const keys = chunk.map((item) => this.keys.dedupe + item.draft.id);
      const json = chunk.map((item) => JSON.stringify(item.draft));
      let seqs: number[];
      try {
        seqs = await append(
          2 + keys.length,
          this.keys.stream,
          this.keys.seq,
          ...keys,
          this.options.maxLen,
          this.options.dedupeTtlMs,
          ...json,
        );
      } catch (error) {
        this.writeErrors++;
        this.lastWriteFailed = true;
        throw new StoreUnavailableError('append', error);
      }
      this.lastWriteFailed = false;
      chunk.forEach((item, index) => {
        const seq = seqs[index]!;
        item.duplicate = seq < 0;
        item.seq = Math.abs(seq);
        if (item.seq > this.newestSeq) this.newestSeq = item.seq;
      });
    }
  }

  /** The live loop: XREAD BLOCK from the last id seen, on its own connection, until close. */
  private async follow(): Promise<void> {
    let last = this.newestSeq;
    let failures = 0;
    while (!this.closed) {
      try {
        const reply = await this.blocking.xread(
          'COUNT',
          XREAD_COUNT,
          'BLOCK',
          XREAD_BLOCK_MS,
          'STREAMS',
          this.keys.stream,
          `${last}-0`,
        );
        failures = 0;
        // Only what lies beyond the last id seen: a reply that a reconnect delivered late adds nothing.
        const events = (reply ? parseEntries(reply[0]![1]) : []).filter((event) => event.seq > last);
        if (events.length === 0) continue;
        last = events.at(-1)!.seq;
        if (last > this.newestSeq) this.newestSeq = last;
        this.fanout.emit(events);
      } catch (error) {
        if (this.closed) return;
        failures++;
        if (failures === 1)
          this.options.logger.warn('redis: live tail interrupted; resuming from the last seq seen', {
            lastSeq: last,
            error: String(error),
          });
        await sleep(Math.min(50 * 2 ** Math.min(failures, 5), 1000));
      }
    }
  }

  /** Seq counter, stream length and oldest entry, read in one round trip. */
  private async refresh(): Promise<void> {
    const replies = await this.commands
      .multi()
      .get(this.keys.seq)
      .xlen(this.keys.stream)
      .xrange(this.keys.stream, '-', '+', 'COUNT', 1)
      .xrevrange(this.keys.stream, '+', '-', 'COUNT', 1)
      .exec();
    if (!replies) return;
    for (const [error] of replies) if (error) throw error;
    const counter = Number(replies[0]![1] ?? 0);
    const newest = parseEntries(replies[3]![1] as [string, string[]][]).at(-1)?.seq ?? 0;
    this.newestSeq = Math.max(this.newestSeq, counter, newest);
    this.streamLength = Number(replies[1]![1]);
    this.oldestSeq = parseEntries(replies[2]![1] as [string, string[]][])[0]?.seq ?? 0;
  }

  /** Writes this node's record, reads the others' and forgets long-silent ones. */
  private async beat(): Promise<void> {
    if (this.closed || !this.connected) return;
    try {
      const now = Date.now();
      const record: NodeRecord = { ...this.options.describeNode(), seenAt: new Date(now).toISOString() };
      if (this.beatAs && this.beatAs !== record.nodeId)
        await this.commands.hdel(this.keys.nodes, this.beatAs);
      this.beatAs = record.nodeId;
      await this.commands.hset(this.keys.nodes, record.nodeId, JSON.stringify(record));
      const all = await this.commands.hgetall(this.keys.nodes);
      const peers: NodeRecord[] = [];
      for (const [nodeId, text] of Object.entries(all)) {
        if (nodeId === record.nodeId) continue;
        const peer = parseNode(text);
        const age = peer ? now - Date.parse(peer.seenAt) : Infinity;
        if (age > NODE_FORGET_MS) await this.commands.hdel(this.keys.nodes, nodeId);
        else if (peer && age <= PEER_STALE_MS) peers.push(peer);
      }
      this.peers = peers.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
      await this.refresh();
    } catch (error) {
      this.options.logger.debug('redis: heartbeat failed', { error: String(error) });
    }
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError('read', error);
    }
  }
}

/** How ioredis reaches the server: the URL (redis://, rediss://, unix://) and what the files gave. */
export function redisConnection(url: string, credentials: RedisCredentials = {}): RedisOptions {
  const target = parseRedisUrl(url);
  if (typeof target === 'string') throw new RangeError(`store.redis.url ${maskUrl(url)}: expected ${target}`);
  const password = credentials.password ?? (target.kind === 'tcp' ? target.password : undefined);
  const auth = password !== undefined ? { password } : {};
  if (target.kind === 'unix') return { path: target.path, ...auth };
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...auth,
    ...(target.tls
      ? {
          tls: {
            // The certificate is always verified: against store.redis.tls.ca, else the system's CAs.
            rejectUnauthorized: true,
            // SNI takes a name, never an address; Node checks an address against the certificate's IPs.
            ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
            ...credentials.tls,
          },
        }
      : {}),
  };
}

/** What to do when the first connection fails, by what failed. */
function openHint(url: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // A server that wants a client certificate resets the connection of a client without one.
  if (url.startsWith('rediss:') && /certificate|self.signed|SSL|TLS|handshake|ECONNRESET/i.test(message))
    return 'the TLS handshake failed: for a private CA set store.redis.tls.ca to its PEM file; the server certificate must name the host of store.redis.url; a Redis with tls-auth-clients needs store.redis.tls.cert and store.redis.tls.key';
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message))
    return 'Redis refused the credentials: put the password in store.redis.passwordFile (or in store.redis.url as redis://:PASSWORD@host)';
  return 'start redis-server there, or set store.redis.url to where it runs (or store.kind to journal)';
}

function stored(draft: EventDraft, seq: number): MonEvent {
  return { seq, ...draft };
}

function parseEntries(entries: [string, string[]][]): MonEvent[] {
  const events: MonEvent[] = [];
  for (const [, fields] of entries) {
    const text = fields[1];
    if (text === undefined) continue;
    try {
      events.push(JSON.parse(text) as MonEvent);
    } catch {
      // Written only by the script above: an unreadable entry is not ours.
    }
  }
  return events;
}

function parseNode(text: string): NodeRecord | null {
  try {
    const value = JSON.parse(text) as NodeRecord;
    return typeof value.nodeId === 'string' && typeof value.seenAt === 'string' ? value : null;
  } catch {
    return null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no connection within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
