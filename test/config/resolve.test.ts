import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveConfig, flatten } from '../../source/config/resolve.js';
import { envName } from '../../source/config/schema.js';
import { ConfigError } from '../../source/errors/config-error.js';

describe('config resolution', () => {
  test('defaults when nothing is given', () => {
    const { config, sources } = resolveConfig({});
    assert.equal(config.port, 8765);
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.portRange, [8765, 8785]);
    assert.equal(config.health.thresholds.memoryMb.fail, 800);
    assert.equal(sources.port, 'default');
  });

  test('flags beat env beat file beat defaults', () => {
    const file = { port: 9001, health: { intervalMs: 1000 }, events: { ringSize: 50 } };
    const env = { MPM_MON_PORT: '9002', MPM_MON_HEALTH_INTERVAL_MS: '2000' };
    const { config, sources } = resolveConfig({ flags: { port: '9003' }, env, file });
    assert.equal(config.port, 9003);
    assert.equal(sources.port, 'flag');
    assert.equal(config.health.intervalMs, 2000);
    assert.equal(sources['health.intervalMs'], 'env');
    assert.equal(config.events.ringSize, 50);
    assert.equal(sources['events.ringSize'], 'file');
  });

  test('env names split camelCase and dots', () => {
    assert.equal(envName('health.intervalMs'), 'MPM_MON_HEALTH_INTERVAL_MS');
    assert.equal(envName('health.thresholds.memoryMb.warn'), 'MPM_MON_HEALTH_THRESHOLDS_MEMORY_MB_WARN');
  });

  test('an invalid value names key, value, what is allowed and where it came from', () => {
    assert.throws(
      () => resolveConfig({ env: { MPM_MON_PORT: 'eighty' } }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /"eighty" for "port" \(from env MPM_MON_PORT\): expected an integer from 0 to 65535/,
        );
        assert.equal(error.context.key, 'port');
        return true;
      },
    );
    assert.throws(() => resolveConfig({ flags: { logLevel: 'loud' } }), /one of debug, info, warn, error/);
    assert.throws(
      () => resolveConfig({ file: { recovery: { enabled: 'yes' } }, fileWhere: '/x/config.json' }),
      /from file \/x\/config.json/,
    );
  });

  test('an unknown file key is refused with a suggestion', () => {
    assert.throws(
      () => resolveConfig({ file: { health: { intervalMS: 5 } } }),
      /did you mean "health.intervalMs"/,
    );
  });

  test('warn above fail is refused', () => {
    assert.throws(
      () => resolveConfig({ file: { health: { thresholds: { memoryMb: { warn: 900, fail: 800 } } } } }),
      /health.thresholds.memoryMb.warn/,
    );
  });

  test('port range accepts text and arrays, refuses reversed ranges', () => {
    assert.deepEqual(
      resolveConfig({ env: { MPM_MON_PORT_RANGE: '9000-9010' } }).config.portRange,
      [9000, 9010],
    );
    assert.throws(() => resolveConfig({ file: { portRange: [9010, 9000] } }), /portRange/);
  });

  test('flatten ignores prototype keys', () => {
    const parsed = JSON.parse('{"__proto__": {"port": 1}, "host": "::1"}') as Record<string, unknown>;
    assert.deepEqual(flatten(parsed), { host: '::1' });
  });
  test('prices: an object per model over the built-in table, from the file or JSON in the env', () => {
    const entry = { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.25, contextWindow: 32_000 };
    assert.deepEqual(resolveConfig({ file: { prices: { 'local-model': entry } } }).config.prices, {
      'local-model': entry,
    });
    const env = {
      MPM_MON_PRICES: JSON.stringify({ x: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 } }),
    };
    assert.equal(resolveConfig({ env }).config.prices.x?.output, 1);
    assert.deepEqual(resolveConfig({}).config.prices, {});
    for (const bad of [{ x: { input: -1, output: 1, cacheRead: 0, cacheWrite: 0 } }, { x: { input: 1 } }, []])
      assert.throws(
        () => resolveConfig({ file: { prices: bad } }),
        (error: unknown) =>
          error instanceof ConfigError &&
          /prices/.test(error.message) &&
          /USD per million/.test(error.message),
      );
  });

  test('notify: off, bell, osc9 or osc777', () => {
    assert.equal(resolveConfig({}).config.notify, 'off');
    assert.equal(resolveConfig({ flags: { notify: 'osc777' } }).config.notify, 'osc777');
    assert.throws(() => resolveConfig({ env: { MPM_MON_NOTIFY: 'loud' } }), /one of off, bell, osc9, osc777/);
  });
});
