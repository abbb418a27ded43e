/**
 * `store.redis.*` as a connection: the URL parsed, whether the server is on this machine, and which
 * settings cannot go together (a server elsewhere in clear text, TLS files without TLS, two passwords).
 * Pure: resolve.ts refuses a bad combination at start-up, the Redis store connects from the result.
 */
import { isLoopbackHost } from './loopback.js';

export type RedisTarget =
  | { kind: 'unix'; path: string }
  | {
      kind: 'tcp';
      tls: boolean;
      host: string;
      port: number;
      db: number;
      username?: string;
      password?: string;
    };

/** The `store.redis` settings that decide how to reach the server. */
export interface RedisTransportSettings {
  url: string;
  passwordFile: string;
  tls: { ca: string; cert: string; key: string; insecure: boolean };
}

/** A setting that cannot be used as it is: which key, its value (masked) and what would do. */
export interface RedisSettingProblem {
  key: string;
  value: unknown;
  expected: string;
}

export const REDIS_URL_FORMS =
  'redis://[user:password@]host:port[/db], rediss://… (TLS) or unix:///path/redis.sock';

/** `redis://`, `rediss://` or `unix://` → where to connect; a string saying why not otherwise. */
export function parseRedisUrl(url: string): RedisTarget | string {
  if (url.startsWith('unix://')) {
    const path = url.slice('unix://'.length);
    return path.startsWith('/') ? { kind: 'unix', path } : 'an absolute socket path after unix://';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return REDIS_URL_FORMS;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return REDIS_URL_FORMS;
  if (parsed.hostname === '') return `a host name: ${REDIS_URL_FORMS}`;
  const dbText = parsed.pathname.length > 1 ? parsed.pathname.slice(1) : '0';
  const db = /^\d{1,4}$/.test(dbText) ? Number(dbText) : NaN;
  if (!Number.isInteger(db)) return `a database number after the port (/0, /1, …): ${REDIS_URL_FORMS}`;
  return {
    kind: 'tcp',
    tls: parsed.protocol === 'rediss:',
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** The URL with its password replaced, for logs, errors and /diagnostics. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^/@]*?:)[^/]*@/i, '$1***@');
}

/** The first setting that cannot be used as it is, or null. */
export function redisTransportProblem(settings: RedisTransportSettings): RedisSettingProblem | null {
  const target = parseRedisUrl(settings.url);
  if (typeof target === 'string')
    return { key: 'store.redis.url', value: maskUrl(settings.url), expected: target };
  const { tls } = settings;
  const tlsFiles = (['ca', 'cert', 'key'] as const).filter((name) => tls[name] !== '');
  const encrypted = target.kind === 'tcp' && target.tls;
  if (tlsFiles.length > 0 && !encrypted)
    return {
      key: `store.redis.tls.${tlsFiles[0]!}`,
      value: tls[tlsFiles[0]!],
      expected: `a TLS connection to use it with: set store.redis.url to rediss://host:port (it is ${maskUrl(settings.url)}), or remove store.redis.tls.${tlsFiles[0]!}`,
    };
  if ((tls.cert === '') !== (tls.key === ''))
    return {
      key: tls.cert === '' ? 'store.redis.tls.key' : 'store.redis.tls.cert',
      value: tls.cert === '' ? tls.key : tls.cert,
      expected:
        'store.redis.tls.cert and store.redis.tls.key together (a client certificate and its private key), or neither',
    };
  if (target.kind === 'tcp' && !target.tls && !isLoopbackHost(target.host) && !tls.insecure)
    return {
      key: 'store.redis.url',
      value: maskUrl(settings.url),
      expected: `rediss:// (TLS) for a Redis server on another machine (${target.host}): events and the password would cross the network in clear text. Serve TLS from Redis (tls-port, tls-cert-file, tls-key-file) and use rediss://${target.host}:PORT with store.redis.tls.ca for a private CA; or, on a network you trust, set store.redis.tls.insecure to true`,
    };
  if (settings.passwordFile !== '' && target.kind === 'tcp' && target.password !== undefined)
    return {
      key: 'store.redis.passwordFile',
      value: settings.passwordFile,
      expected:
        'one place for the Redis password: remove it from store.redis.url, or remove store.redis.passwordFile',
    };
  return null;
}
