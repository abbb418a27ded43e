/**
 * The Redis store over TLS, against a real redis-server serving TLS with throwaway certificates: the
 * store contract holds over rediss:// with a password from a file, the server certificate is always
 * verified, a Redis that asks for client certificates gets ours, and no secret reaches an error or a log.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RedisStore, type RedisStoreOptions } from '../../source/store/redis-store.js';
import { readRedisCredentials, type RedisCredentials } from '../../source/store/redis-files.js';
import { RedisUnreachableError } from '../../source/store/unavailable.js';
import { ConfigError } from '../../source/errors/config-error.js';
import type { RedisTransportSettings } from '../../source/config/redis-url.js';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';
import { drafts, seqsOf } from '../helpers/events.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';
import { runStoreContract } from './contract.js';

const PASSWORD = 'correct-horse-battery-staple-7f3a';
const dir = dirsRemovedAfter('mpm-mon-tls-');
let temp = '';
let certs: TestCertificates;
/** TLS and a password; client certificates not asked for. */
let redis: RedisServer;
/** TLS with tls-auth-clients yes. */
let mutual: RedisServer;
let prefixes = 0;

function settings(overrides: Partial<RedisTransportSettings['tls']> & { passwordFile?: string } = {}) {
  const { passwordFile = '', ...tls } = overrides;
  return { url: redis.url, passwordFile, tls: { ca: '', cert: '', key: '', insecure: false, ...tls } };
}

const origin = () => ({ source: 'file' as const, where: '/home/me/config.json' });

function passwordFile(name: string, text: string, mode = 0o600): string {
  const path = join(temp, name);
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}

function options(url: string, credentials: RedisCredentials, logger = recordingLogger()): RedisStoreOptions {
  return {
    url,
    credentials,
    prefix: `{tls${++prefixes}}`,
    maxLen: 100_000,
    dedupeTtlMs: 60_000,
    connectTimeoutMs: 3000,
    describeNode: () => ({
      nodeId: 'node-tls',
      pid: process.pid,
      host: '127.0.0.1',
      port: 1,
      version: 'test',
      startedAt: new Date().toISOString(),
    }),
    logger,
  };
}

/** The start-up error, its message and steps as one text. */
async function refusedOpen(opts: RedisStoreOptions): Promise<string> {
  const store = await RedisStore.open(opts).catch((error: unknown) => error);
  if (store instanceof RedisStore) {
    await store.close();
    assert.fail('the store opened');
  }
  assert.ok(store instanceof RedisUnreachableError, String(store));
  return [store.message, ...store.steps].join(' ');
}

before(async () => {
  temp = dir();
  certs = makeCertificates(temp);
  redis = await startRedis({ tls: { certs }, password: PASSWORD });
  mutual = await startRedis({ tls: { certs, clientCerts: true } });
});
after(async () => {
  for (const server of [redis, mutual]) {
    await server?.stop();
    server?.remove();
  }
});

runStoreContract('Redis Streams over TLS (rediss://, password from a file)', {
  open: async () => {
    const credentials = readRedisCredentials(
      settings({ ca: certs.ca, passwordFile: passwordFile('password', `${PASSWORD}\n`) }),
      origin,
    );
    const opts = options(redis.url, credentials);
    return { store: await RedisStore.open(opts), reopen: () => RedisStore.open(opts) };
  },
});

describe('Redis over TLS', () => {
  test('the server certificate is verified: another CA, or the system CAs, refuse it (never an uncaught error)', async () => {
    // Rounds: a refused handshake raised a second socket error now and then, which nothing listened to.
    for (const ca of Array.from({ length: 8 }, (_, round) => (round % 2 === 0 ? certs.otherCa : ''))) {
      const logger = recordingLogger();
      const credentials = readRedisCredentials(settings({ ca }), origin);
      const said = await refusedOpen(options(redis.url, { ...credentials, password: PASSWORD }, logger));
      assert.match(said, /certificate/i);
      assert.match(said, /store\.redis\.tls\.ca/);
      assert.doesNotMatch(said + JSON.stringify(logger.entries), new RegExp(PASSWORD));
    }
  });

  test('a wrong password is refused, and no password reaches the error or the log', async () => {
    const logger = recordingLogger();
    const wrong = 'wrong-password-1b2c3d';
    const said = await refusedOpen(options(redis.url, { tls: { ca: readCa() }, password: wrong }, logger));
    assert.match(said, /WRONGPASS/);
    assert.match(said, /store\.redis\.passwordFile/);
    const seen = said + JSON.stringify(logger.entries);
    assert.doesNotMatch(seen, new RegExp(wrong));
    assert.doesNotMatch(seen, new RegExp(PASSWORD));
  });

  test('a Redis that asks for client certificates refuses a client without one and serves ours', async () => {
    const without = readRedisCredentials({ ...settings({ ca: certs.ca }), url: mutual.url }, origin);
    assert.match(await refusedOpen(options(mutual.url, without)), /store\.redis\.tls\.cert/);
    const withCert = readRedisCredentials(
      { ...settings({ ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }), url: mutual.url },
      origin,
    );
    const store = await RedisStore.open(options(mutual.url, withCert));
    try {
      assert.deepEqual(seqsOf(await store.append(drafts(1, 3))), [1, 2, 3]);
      assert.deepEqual(seqsOf(await store.readSince(0, 10)), [1, 2, 3]);
    } finally {
      await store.close();
    }
  });
});

function readCa(): string {
  return readRedisCredentials(settings({ ca: certs.ca }), origin).tls!.ca!;
}

describe('the files store.redis names', () => {
  const refused = (overrides: Parameters<typeof settings>[0]): ConfigError => {
    try {
      readRedisCredentials(settings(overrides), origin);
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error;
    }
    assert.fail('the files were accepted');
  };

  test('the password file: one line of a regular file of ours, mode 0600, never through a link', () => {
    const good = passwordFile('pw-good', `${PASSWORD}\n`);
    assert.equal(readRedisCredentials(settings({ passwordFile: good }), origin).password, PASSWORD);
    const open = refused({ passwordFile: passwordFile('pw-open', PASSWORD, 0o644) });
    assert.equal(open.context.key, 'store.redis.passwordFile');
    assert.match(open.message, /mode 0644/);
    assert.match(open.message, /chmod 600/);
    const link = join(temp, 'pw-link');
    symlinkSync(good, link);
    assert.match(refused({ passwordFile: link }).message, /symbolic link/);
    assert.match(refused({ passwordFile: join(temp, 'absent') }).message, /does not exist/);
    assert.match(refused({ passwordFile: passwordFile('pw-empty', '\n') }).message, /empty/);
    assert.match(
      refused({ passwordFile: passwordFile('pw-big', 'x'.repeat(5000)) }).message,
      /more than the 4096/,
    );
    assert.match(refused({ passwordFile: temp }).message, /not a regular file/);
    for (const error of [open, refused({ passwordFile: link })])
      assert.doesNotMatch(error.message + JSON.stringify(error.toJSON()), new RegExp(PASSWORD));
  });

  test('the client key is a secret (0600, no link); the CA and certificate may be links', () => {
    const key = passwordFile('client-open.key', 'not read', 0o640);
    const error = refused({ cert: certs.clientCert, key });
    assert.equal(error.context.key, 'store.redis.tls.key');
    assert.match(error.message, /mode 0640/);
    const caLink = join(temp, 'ca-link.pem');
    symlinkSync(certs.ca, caLink);
    assert.match(readRedisCredentials(settings({ ca: caLink }), origin).tls?.ca ?? '', /BEGIN CERTIFICATE/);
  });
});
