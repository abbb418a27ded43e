/**
 * Every configuration key: its default, how a text value (flag, env) is parsed, and what is allowed.
 * Pure: load.ts does the I/O.
 */
import type { ModelPrice, PriceTable } from '../claude/prices.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
/** How the TUI tells that a session started waiting for the user. */
export type NotifyMode = 'off' | 'bell' | 'osc9' | 'osc777';
export const NOTIFY_MODES: readonly NotifyMode[] = ['off', 'bell', 'osc9', 'osc777'];

/** Per-check thresholds; a higher observed value is worse for each of them. */
export const THRESHOLD_DEFAULTS = {
  memoryMb: { warn: 300, fail: 800 },
  heapMb: { warn: 256, fail: 768 },
  cpuPercent: { warn: 70, fail: 95 },
  openFiles: { warn: 512, fail: 900 },
  eventLoopLagMs: { warn: 100, fail: 1000 },
  errorRate: { warn: 0.05, fail: 0.2 },
  probeLatencyMs: { warn: 250, fail: 2000 },
  deliveryBacklog: { warn: 1000, fail: 5000 },
  diskFreeMb: { warn: 512, fail: 64 },
  spoolBacklog: { warn: 100, fail: 10000 },
  corruptLines: { warn: 1, fail: 1000 },
} as const;
export type ThresholdName = keyof typeof THRESHOLD_DEFAULTS;
/** For these, a lower observed value is worse (warn > fail). */
export const LOWER_IS_WORSE: ReadonlySet<ThresholdName> = new Set(['diskFreeMb']);

export interface Config {
  port: number;
  host: string;
  portRange: [number, number];
  logLevel: LogLevel;
  health: {
    intervalMs: number;
    historySize: number;
    /** Runs a new overall state must hold before it is reported (hysteresis). */
    hysteresisRuns: number;
    /** Longest one check may take before it is reported as failed ('timed out'). */
    checkTimeoutMs: number;
    thresholds: Record<ThresholdName, { warn: number; fail: number }>;
  };
  recovery: {
    enabled: boolean;
    cooldownMs: number;
    breaker: { failureThreshold: number; resetTimeoutMs: number };
  };
  events: {
    maxBytes: number;
    maxRequestBytes: number;
    ringSize: number;
    ratePerSecond: number;
    dedupeWindowMs: number;
  };
  journal: { maxBytes: number; segmentBytes: number };
  viewers: { maxBacklog: number; batchMs: number };
  shutdown: { timeoutMs: number };
  store: {
    kind: StoreKind;
    redis: {
      url: string;
      prefix: string;
      maxLen: number;
      /** A file holding the Redis password (AUTH); empty: none, or the one in the URL. */
      passwordFile: string;
      /** PEM files for rediss://; `insecure` allows redis:// to a server on another machine. */
      tls: { ca: string; cert: string; key: string; insecure: boolean };
    };
  };
  /** This daemon's name in a cluster; empty: hostname:port. */
  nodeId: string;
  /** Extra `host[:port]` names accepted in the Host header (a load balancer's address). */
  allowedHosts: string[];
  /**
   * PEM files: with cert and key the daemon serves HTTPS/WSS only; clients verify with `ca` (default:
   * the system's CAs). `insecure` allows clear text beyond loopback (a listening host, a client `url`).
   */
  tls: { cert: string; key: string; ca: string; insecure: boolean };
  /** Client side: the daemon's URL when it runs elsewhere; empty: find it through the PID file. */
  url: string;
  /** Client side, with `url`: where the token is read; empty: `$MPM_MON_HOME/token`. */
  tokenFile: string;
  /** Model prices (USD per million tokens) over the built-in dated table. */
  prices: PriceTable;
  notify: NotifyMode;
  /** What clients may hold: refusals past these are counted and reported, never a daemon fault. */
  limits: {
    maxConnections: number;
    maxPendingConnections: number;
    handshakeTimeoutMs: number;
    maxReplays: number;
    maxQueuedReplays: number;
    producersPerAddress: number;
  };
}

export type StoreKind = 'journal' | 'redis';
export const STORE_KINDS: readonly StoreKind[] = ['journal', 'redis'];

type Kind = 'int' | 'number' | 'boolean' | 'string' | 'enum' | 'range' | 'list' | 'prices';
export interface KeySpec {
  key: string;
  kind: Kind;
  default: unknown;
  min?: number;
  max?: number;
  values?: readonly string[];
  description: string;
}

const thresholdKeys: KeySpec[] = Object.entries(THRESHOLD_DEFAULTS).flatMap(([name, value]) => [
  {
    key: `health.thresholds.${name}.warn`,
    kind: 'number' as const,
    default: value.warn,
    min: 0,
    description: `${name}: warn level`,
  },
  {
    key: `health.thresholds.${name}.fail`,
    kind: 'number' as const,
    default: value.fail,
    min: 0,
    description: `${name}: fail level`,
  },
]);

export const KEYS: readonly KeySpec[] = [
  { key: 'port', kind: 'int', default: 8765, min: 0, max: 65535, description: 'TCP port (0: any free port)' },
  { key: 'host', kind: 'string', default: '127.0.0.1', description: 'address to listen on' },
  {
    key: 'portRange',
    kind: 'range',
    default: [8765, 8785],
    min: 1,
    max: 65535,
    description: 'ports tried when the default is taken',
  },
  { key: 'logLevel', kind: 'enum', default: 'info', values: LOG_LEVELS, description: 'daemon log level' },
  {
    key: 'health.intervalMs',
    kind: 'int',
    default: 5000,
    min: 100,
    max: 3_600_000,
    description: 'how often every check runs',
  },
  {
    key: 'health.historySize',
    kind: 'int',
    default: 120,
    min: 1,
    max: 100_000,
    description: 'results kept per check',
  },
  {
    key: 'health.hysteresisRuns',
    kind: 'int',
    default: 2,
    min: 1,
    max: 100,
    description: 'runs a new state must hold before it is reported',
  },
  {
    key: 'health.checkTimeoutMs',
    kind: 'int',
    default: 2000,
    min: 10,
    max: 600_000,
    description: 'longest one check may take before it counts as failed',
  },
  ...thresholdKeys,
  { key: 'recovery.enabled', kind: 'boolean', default: true, description: 'graded recovery on or off' },
  {
    key: 'recovery.cooldownMs',
    kind: 'int',
    default: 10_000,
    min: 0,
    max: 86_400_000,
    description: 'minimum time between two recovery actions',
  },
  {
    key: 'recovery.breaker.failureThreshold',
    kind: 'int',
    default: 5,
    min: 1,
    max: 1000,
    description: 'failed recoveries before the breaker opens',
  },
  {
    key: 'recovery.breaker.resetTimeoutMs',
    kind: 'int',
    default: 300_000,
    min: 0,
    max: 86_400_000,
    description: 'how long the breaker stays open before one trial',
  },
  {
    key: 'events.maxBytes',
    kind: 'int',
    default: 262_144,
    min: 1024,
    max: 16 * 1024 * 1024,
    description: 'largest stored event (bytes); a bigger one has its largest strings cut to fit',
  },
  {
    key: 'events.maxRequestBytes',
    kind: 'int',
    default: 8_388_608,
    min: 1024,
    max: 256 * 1024 * 1024,
    description: 'largest accepted request or Socket.IO message (bytes); above it 413 / an error ack',
  },
  {
    key: 'events.ringSize',
    kind: 'int',
    default: 10_000,
    min: 10,
    max: 1_000_000,
    description: 'events kept in memory for replay',
  },
  {
    key: 'events.ratePerSecond',
    kind: 'int',
    default: 2000,
    min: 1,
    max: 1_000_000,
    description: 'per-producer rate limit',
  },
  {
    key: 'events.dedupeWindowMs',
    kind: 'int',
    default: 60_000,
    min: 0,
    max: 86_400_000,
    description: 'window in which a repeated payload is a duplicate',
  },
  {
    key: 'journal.maxBytes',
    kind: 'int',
    default: 268_435_456,
    min: 65_536,
    description: 'journal retention on disk (bytes)',
  },
  {
    key: 'journal.segmentBytes',
    kind: 'int',
    default: 16_777_216,
    min: 4096,
    description: 'size at which a journal segment is rotated',
  },
  {
    key: 'viewers.maxBacklog',
    kind: 'int',
    default: 10_000,
    min: 10,
    max: 10_000_000,
    description: 'undelivered events a viewer may lag before it is dropped',
  },
  {
    key: 'viewers.batchMs',
    kind: 'int',
    default: 2,
    min: 0,
    max: 1000,
    description: 'how long live events are gathered into one frame',
  },
  {
    key: 'store.kind',
    kind: 'enum',
    default: 'journal',
    values: STORE_KINDS,
    description: 'where events live: the embedded journal, or Redis Streams shared by several daemons',
  },
  {
    key: 'store.redis.url',
    kind: 'string',
    default: 'redis://127.0.0.1:6379',
    description: 'the Redis server: redis://host:port[/db], rediss://…, or unix:///path/redis.sock',
  },
  {
    key: 'store.redis.prefix',
    kind: 'string',
    default: '{mpm}',
    description: 'key prefix of the stream, the seq counter and the dedupe keys',
  },
  {
    key: 'store.redis.maxLen',
    kind: 'int',
    default: 1_000_000,
    min: 1000,
    description: 'events kept in the stream (approximate trimming)',
  },
  {
    key: 'store.redis.passwordFile',
    kind: 'string',
    default: '',
    description:
      'a file holding the Redis password (one line; a regular file of yours, mode 0600), so it is in no config',
  },
  {
    key: 'store.redis.tls.ca',
    kind: 'string',
    default: '',
    description:
      "PEM file of the CA that signed the Redis server's certificate (rediss://; default: the system's)",
  },
  {
    key: 'store.redis.tls.cert',
    kind: 'string',
    default: '',
    description: 'PEM file of a client certificate, for a Redis that asks for one (tls-auth-clients)',
  },
  {
    key: 'store.redis.tls.key',
    kind: 'string',
    default: '',
    description: "PEM file of the client certificate's private key (a regular file of yours, mode 0600)",
  },
  {
    key: 'store.redis.tls.insecure',
    kind: 'boolean',
    default: false,
    description: 'allow redis:// (clear text) to a Redis server on another machine',
  },
  {
    key: 'nodeId',
    kind: 'string',
    default: '',
    description: "this daemon's name in a cluster (default hostname:port)",
  },
  {
    key: 'allowedHosts',
    kind: 'list',
    default: [],
    description: 'extra host[:port] names accepted in the Host header, e.g. a load balancer',
  },
  {
    key: 'tls.cert',
    kind: 'string',
    default: '',
    description: "PEM file of the daemon's certificate: with tls.key the daemon serves HTTPS/WSS only",
  },
  {
    key: 'tls.key',
    kind: 'string',
    default: '',
    description: "PEM file of the certificate's private key (a regular file of yours, mode 0600)",
  },
  {
    key: 'tls.ca',
    kind: 'string',
    default: '',
    description: "PEM file of the CA clients verify the daemon's certificate with (default: the system's)",
  },
  {
    key: 'tls.insecure',
    kind: 'boolean',
    default: false,
    description:
      'allow clear text beyond loopback: a daemon listening on another address without TLS, a client url http://',
  },
  {
    key: 'url',
    kind: 'string',
    default: '',
    description:
      "client side: the daemon's URL when it runs on another machine (https://host:port); then no PID file is read",
  },
  {
    key: 'tokenFile',
    kind: 'string',
    default: '',
    description:
      'client side, with url: the file holding the token (mode 0600; default $MPM_MON_HOME/token; MPM_MON_TOKEN wins)',
  },
  {
    key: 'shutdown.timeoutMs',
    kind: 'int',
    default: 5000,
    min: 100,
    max: 600_000,
    description: 'graceful shutdown budget before a forced exit',
  },
  {
    key: 'prices',
    kind: 'prices',
    default: {},
    description:
      'model prices over the built-in table: {"model-or-prefix": {input, output, cacheRead, cacheWrite, contextWindow?}}',
  },
  {
    key: 'notify',
    kind: 'enum',
    default: 'off',
    values: NOTIFY_MODES,
    description: 'TUI: tell when a session starts waiting for the user (bell, OSC 9 or OSC 777)',
  },
  {
    key: 'limits.maxConnections',
    kind: 'int',
    default: 512,
    min: 4,
    max: 100_000,
    description: 'TCP connections held at once; one more is closed at accept',
  },
  {
    key: 'limits.maxPendingConnections',
    kind: 'int',
    default: 64,
    min: 1,
    max: 100_000,
    description: 'connections that have not sent a request yet; past it the oldest is closed',
  },
  {
    key: 'limits.handshakeTimeoutMs',
    kind: 'int',
    default: 3000,
    min: 100,
    max: 600_000,
    description: 'time a new connection has to send a request or join a namespace with the token',
  },
  {
    key: 'limits.maxReplays',
    kind: 'int',
    default: 2,
    min: 1,
    max: 1000,
    description: 'replays (since/last) and history reads served at once; the others wait their turn',
  },
  {
    key: 'limits.maxQueuedReplays',
    kind: 'int',
    default: 64,
    min: 0,
    max: 100_000,
    description: 'replays waiting their turn; one more is refused (too_many_replays)',
  },
  {
    key: 'limits.producersPerAddress',
    kind: 'int',
    default: 8,
    min: 1,
    max: 10_000,
    description: 'producer ids one address may hold its own rate budget for; more share one budget',
  },
];

export const KEY_INDEX: ReadonlyMap<string, KeySpec> = new Map(KEYS.map((spec) => [spec.key, spec]));

/** `health.intervalMs` → `MPM_MON_HEALTH_INTERVAL_MS`. */
export function envName(key: string): string {
  return `MPM_MON_${key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toUpperCase()}`;
}

export function describeExpected(spec: KeySpec): string {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const what = spec.kind === 'int' ? 'an integer' : 'a number';
      if (spec.min !== undefined && spec.max !== undefined) return `${what} from ${spec.min} to ${spec.max}`;
      if (spec.min !== undefined) return `${what} >= ${spec.min}`;
      return what;
    }
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${(spec.values ?? []).join(', ')}`;
    case 'range':
      return `two ports [low, high] with ${spec.min ?? 1} <= low <= high <= ${spec.max ?? 65535} (text: "low-high")`;
    case 'string':
      return 'a non-empty string';
    case 'list':
      return 'a list of non-empty strings (text: comma-separated)';
    case 'prices':
      return 'an object of model id (or prefix) to {"input", "output", "cacheRead", "cacheWrite"} in USD per million tokens (numbers >= 0) and an optional "contextWindow" (tokens), e.g. {"claude-x": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}}';
  }
}

const PRICE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;

/** A `prices` value (an object, or its JSON text from an env variable); undefined when malformed. */
function coercePrices(raw: unknown): PriceTable | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const table: Record<string, ModelPrice> = {};
  for (const [model, entry] of Object.entries(value as Record<string, unknown>)) {
    if (model.trim() === '' || typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return undefined;
    const fields = entry as Record<string, unknown>;
    const known = new Set<string>([...PRICE_FIELDS, 'contextWindow']);
    if (Object.keys(fields).some((name) => !known.has(name))) return undefined;
    const price: Partial<ModelPrice> = {};
    for (const name of PRICE_FIELDS) {
      const number = fields[name];
      if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) return undefined;
      price[name] = number;
    }
    const window = fields.contextWindow;
    if (window !== undefined) {
      if (typeof window !== 'number' || !Number.isInteger(window) || window < 1) return undefined;
      price.contextWindow = window;
    }
    table[model] = price as ModelPrice;
  }
  return table;
}

/** Parses a value (text from a flag or env, or JSON from the file); undefined when it is not allowed. */
export function coerce(spec: KeySpec, raw: unknown): unknown {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      if (spec.kind === 'int' && !Number.isInteger(value)) return undefined;
      if (spec.min !== undefined && value < spec.min) return undefined;
      if (spec.max !== undefined && value > spec.max) return undefined;
      return value;
    }
    case 'boolean':
      if (raw === true || raw === 'true' || raw === '1') return true;
      if (raw === false || raw === 'false' || raw === '0') return false;
      return undefined;
    case 'enum':
      return typeof raw === 'string' && spec.values?.includes(raw) ? raw : undefined;
    case 'string':
      return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
    case 'list': {
      const items = typeof raw === 'string' ? raw.split(',') : raw;
      if (!Array.isArray(items)) return undefined;
      const trimmed = items.map((item) => (typeof item === 'string' ? item.trim() : ''));
      return trimmed.every((item) => item !== '') ? trimmed : undefined;
    }
    case 'prices':
      return coercePrices(raw);
    case 'range': {
      const pair = typeof raw === 'string' ? raw.split(/[-,:]/).map((part) => Number(part.trim())) : raw;
      if (!Array.isArray(pair) || pair.length !== 2) return undefined;
      const [low, high] = pair as unknown[];
      if (!Number.isInteger(low) || !Number.isInteger(high)) return undefined;
      const min = spec.min ?? 1;
      const max = spec.max ?? 65535;
      if ((low as number) < min || (high as number) > max || (low as number) > (high as number))
        return undefined;
      return [low, high];
    }
  }
}

/** Closest known key, for "did you mean" on a typo. */
export function suggestKey(unknownKey: string): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const { key } of KEYS) {
    const distance = editDistance(unknownKey.toLowerCase(), key.toLowerCase());
    if (!best || distance < best.distance) best = { key, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(unknownKey.length / 4)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
