import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoopbackHost } from '../../source/config/loopback.js';
import { maskUrl, parseRedisUrl } from '../../source/config/redis-url.js';
import { resolveConfig } from '../../source/config/resolve.js';
import { ConfigError } from '../../source/errors/config-error.js';

/** The ConfigError resolving this store.redis config gives, or null when it resolves. */
function refusal(redis: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): ConfigError | null {
  try {
    resolveConfig({ file: { store: { kind: 'redis', redis } }, env, fileWhere: '/home/me/config.json' });
    return null;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

describe('store.redis transport', () => {
  test('a Redis server on another machine in clear text is refused, naming the key, the value and what to do', () => {
    const error = refusal({ url: 'redis://:hunter2-pass@10.20.30.40:6379/2' });
    assert.ok(error);
    assert.equal(error.context.key, 'store.redis.url');
    assert.equal(error.context.value, 'redis://:***@10.20.30.40:6379/2');
    assert.match(error.message, /rediss:\/\/ \(TLS\)/);
    assert.match(error.message, /10\.20\.30\.40/);
    assert.match(error.message, /store\.redis\.tls\.insecure/);
    assert.match(error.message, /from file \/home\/me\/config\.json/);
    assert.doesNotMatch(JSON.stringify({ ...error.toJSON(), message: error.message }), /hunter2/);
  });

  test('the same from the environment names the variable', () => {
    const error = refusal({}, { MPM_MON_STORE_REDIS_URL: 'redis://redis.internal:6379' });
    assert.equal(error?.context.source, 'env');
    assert.equal(error?.context.where, 'MPM_MON_STORE_REDIS_URL');
  });

  test('loopback, a unix socket, rediss:// and an explicit insecure pass', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'redis://127.0.0.2:6379',
      'redis://localhost:6379/1',
      'redis://[::1]:6379',
      'unix:///run/redis/redis.sock',
      'rediss://redis.example:6380',
      'rediss://10.20.30.40:6380',
    ])
      assert.equal(refusal({ url }), null, url);
    assert.equal(refusal({ url: 'redis://10.20.30.40:6379', tls: { insecure: true } }), null);
    // journal: the Redis settings are not used, so not judged
    assert.doesNotThrow(() => resolveConfig({ file: { store: { redis: { url: 'redis://10.1.1.1:1' } } } }));
  });

  test('a URL that is not redis://, rediss:// or unix:// is refused at start-up', () => {
    for (const url of [
      'http://127.0.0.1:6379',
      'redis://127.0.0.1:6379/x',
      'unix://relative.sock',
      'nonsense',
    ])
      assert.equal(refusal({ url })?.context.key, 'store.redis.url', url);
  });

  test('TLS files need rediss://, a client certificate needs its key, and one password place', () => {
    assert.equal(
      refusal({ url: 'redis://127.0.0.1:6379', tls: { ca: '/etc/ca.pem' } })?.context.key,
      'store.redis.tls.ca',
    );
    assert.equal(
      refusal({ url: 'rediss://127.0.0.1:6379', tls: { cert: '/c.pem' } })?.context.key,
      'store.redis.tls.cert',
    );
    assert.equal(
      refusal({ url: 'rediss://127.0.0.1:6379', tls: { key: '/c.key' } })?.context.key,
      'store.redis.tls.key',
    );
    assert.equal(
      refusal({ url: 'rediss://127.0.0.1:6379', tls: { ca: '/ca.pem', cert: '/c.pem', key: '/c.key' } }),
      null,
    );
    const twice = refusal({ url: 'redis://:pw@127.0.0.1:6379', passwordFile: '/home/me/redis-password' });
    assert.equal(twice?.context.key, 'store.redis.passwordFile');
    assert.doesNotMatch(twice?.message ?? '', /:pw@/);
  });

  test('parse, loopback and mask', () => {
    assert.deepEqual(parseRedisUrl('rediss://app:p%40ss@redis.example:6380/3'), {
      kind: 'tcp',
      tls: true,
      host: 'redis.example',
      port: 6380,
      db: 3,
      username: 'app',
      password: 'p@ss',
    });
    assert.deepEqual(parseRedisUrl('unix:///tmp/r.sock'), { kind: 'unix', path: '/tmp/r.sock' });
    assert.equal(isLoopbackHost('127.10.0.1'), true);
    assert.equal(isLoopbackHost('[::1]'), true);
    assert.equal(isLoopbackHost('128.0.0.1'), false);
    assert.equal(isLoopbackHost('localhost.example.com'), false);
    assert.equal(maskUrl('rediss://app:s3cr3t@h:1/0'), 'rediss://app:***@h:1/0');
    assert.equal(maskUrl('redis://:a@b@h:1'), 'redis://:***@h:1');
    assert.equal(maskUrl('redis://h:6379/0'), 'redis://h:6379/0');
  });
});
