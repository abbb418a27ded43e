import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DashboardClient } from '../../source/client/dashboard-client.js';
import { discoverDaemon } from '../../source/client/discover.js';
import type { HelloMessage } from '../../source/protocol/messages.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();

describe('a viewer finds its daemon again', () => {
  test('a daemon that came back on another port is found by reading the PID file again', async () => {
    const h = home();
    const first = await startDaemon(h);
    const hellos: HelloMessage[] = [];
    const client = new DashboardClient(
      {
        host: '127.0.0.1',
        port: first.port,
        token: first.token,
        backoff: { initialMs: 50, maxMs: 200, randomizationFactor: 0 },
        rediscover: () => {
          const found = discoverDaemon({ home: h.path });
          return found.ok ? found.daemon : null;
        },
      },
      { onHello: (hello) => hellos.push(hello) },
    ).start();
    let second: Awaited<ReturnType<typeof startDaemon>> | null = null;
    try {
      await waitFor(() => hellos.length === 1, 'the first hello');
      await first.stop();
      second = await startDaemon(h);
      assert.notEqual(second.port, first.port);
      await waitFor(() => hellos.length === 2, 'a hello from the daemon on its new port', 15_000);
      assert.equal(hellos[1]!.port, second.port);
      assert.deepEqual(client.address, { host: '127.0.0.1', port: second.port });
    } finally {
      client.stop();
      await first.stop();
      await second?.stop();
    }
  });
});
