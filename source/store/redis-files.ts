/**
 * The files `store.redis` names, read once at start-up: the password file and the client key as
 * secrets (a regular file of this user, mode 0600 or stricter, never through a link, size-capped), the
 * CA and the client certificate as public files (links followed: systems keep CAs as links). A file
 * that cannot be used is a start-up error naming the key, the path and what to do; its content never
 * appears in one.
 */
import type { RedisTransportSettings } from '../config/redis-url.js';
import { ConfigError, type ConfigSource } from '../errors/config-error.js';
import { readSmallFile } from '../instance/safe-file.js';

/** What the connection needs from those files. */
export interface RedisCredentials {
  password?: string;
  tls?: { ca?: string; cert?: string; key?: string };
}

const PEM_MAX_BYTES = 256 * 1024;
const PASSWORD_MAX_BYTES = 4096;

type Origin = (key: string) => { source: ConfigSource; where?: string };

export function readRedisCredentials(settings: RedisTransportSettings, originOf: Origin): RedisCredentials {
  const read = (key: string, path: string, what: string, secret: boolean, maxBytes: number): string => {
    const result = readSmallFile(path, maxBytes, { secret, followLinks: !secret });
    if (result.kind === 'text' && result.text.trim() !== '') return result.text;
    const why =
      result.kind === 'missing'
        ? 'it does not exist'
        : result.kind === 'error'
          ? result.message
          : 'it is empty';
    throw new ConfigError({
      key,
      value: path,
      expected: `${what} (${why})`,
      ...originOf(key),
    });
  };
  const credentials: RedisCredentials = {};
  const { passwordFile, tls } = settings;
  if (passwordFile !== '') {
    const text = read(
      'store.redis.passwordFile',
      passwordFile,
      `a readable file holding the Redis password on one line: a regular file of yours with mode 0600, at most ${PASSWORD_MAX_BYTES} bytes`,
      true,
      PASSWORD_MAX_BYTES,
    );
    credentials.password = text.replace(/\r?\n$/, '');
  }
  const pem = (name: 'ca' | 'cert' | 'key'): string | undefined => {
    const path = tls[name];
    if (path === '') return undefined;
    const secret = name === 'key';
    return read(
      `store.redis.tls.${name}`,
      path,
      secret
        ? `a PEM private key: a regular file of yours with mode 0600, at most ${PEM_MAX_BYTES} bytes`
        : `a readable PEM file (a regular file, at most ${PEM_MAX_BYTES} bytes)`,
      secret,
      PEM_MAX_BYTES,
    );
  };
  const ca = pem('ca');
  const cert = pem('cert');
  const key = pem('key');
  if (ca !== undefined || cert !== undefined || key !== undefined)
    credentials.tls = {
      ...(ca !== undefined ? { ca } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
    };
  return credentials;
}
