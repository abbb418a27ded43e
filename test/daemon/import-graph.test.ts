// A daemon on its embedded journal is the common case: it must not carry the Redis client or the
// Prometheus library from start-up (together a fifth of its idle heap). Both load when first needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importGraph } from '../helpers/import-graph.js';

const LOADED_WHEN_NEEDED = ['ioredis', 'prom-client'];
const NEVER_IN_THE_DAEMON = ['ink', 'react', 'ink-testing-library'];

test('the daemon command loads neither the Redis client nor prom-client nor the TUI at start-up', () => {
  const { own, external } = importGraph('source/commands/daemon.ts');
  const heavy = external.filter((site) =>
    [...LOADED_WHEN_NEEDED, ...NEVER_IN_THE_DAEMON].some(
      (name) => site.specifier === name || site.specifier.startsWith(`${name}/`),
    ),
  );
  assert.deepEqual(heavy, []);
  assert.ok(
    own.includes('source/store/journal-store.ts') && own.includes('source/daemon/listener.ts'),
    'the walk did follow the daemon imports',
  );
  assert.ok(!own.includes('source/store/redis-store.ts'), 'the Redis store is imported lazily');
  assert.ok(!own.includes('source/metrics/registry.ts'), 'the metrics registry is imported lazily');
});
