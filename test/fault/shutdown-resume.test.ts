/**
 * SIGTERM with viewers attached: every viewer is told `shutdown`, a new daemon comes up on the same home
 * and port, and each DashboardClient reconnects by itself and resumes by seq — every event exactly once,
 * in order, across the restart.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DashboardClient, type ConnectionState } from '../../source/client/dashboard-client.js';
import type { MonEvent } from '../../source/protocol/event.js';
import type { ShutdownMessage } from '../../source/protocol/messages.js';
import { postEvents } from '../e2e/harness.js';
import { hookPayload, seqsOf } from '../helpers/events.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { type DaemonProcess, startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
const clients: DashboardClient[] = [];
after(async () => {
  for (const client of clients) client.stop();
  for (const daemon of daemons) await daemon.stop('SIGKILL');
});

interface Watched {
  client: DashboardClient;
  events: MonEvent[];
  shutdowns: ShutdownMessage[];
  states: ConnectionState['kind'][];
}

function watch(port: number, token: string): Watched {
  const watched: Watched = { client: null as never, events: [], shutdowns: [], states: [] };
  watched.client = new DashboardClient(
    {
      host: '127.0.0.1',
      port,
      token,
      since: 0,
      // Fast retries so the test waits for the new daemon, not for the backoff.
      backoff: { initialMs: 50, maxMs: 200, randomizationFactor: 0.5 },
      connectTimeoutMs: 2000,
    },
    {
      onEvents: (events) => watched.events.push(...events),
      onShutdown: (message) => watched.shutdowns.push(message),
      onState: (state) => watched.states.push(state.kind),
    },
  ).start();
  clients.push(watched.client);
  return watched;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

test('SIGTERM with viewers attached: shutdown to each, then each resumes on the new daemon with no gap and no duplicate', async () => {
  const h = home();
  const first = await startDaemon(h);
  daemons.push(first);
  const port = first.port;
  const before = await postEvents(
    port,
    first.token,
    JSON.stringify(Array.from({ length: 40 }, (_, n) => hookPayload(n, 'restart'))),
  );
  assert.equal(before.status, 202);
  assert.deepEqual(before.body.seqs, range(1, 40));

  const viewers = [watch(port, first.token), watch(port, first.token), watch(port, first.token)];
  await waitFor(
    () => viewers.every((v) => v.events.length >= 40),
    'every viewer replayed the first 40',
    10_000,
  );
  // Live events while attached, before the stop.
  const live = await postEvents(
    port,
    first.token,
    JSON.stringify(Array.from({ length: 10 }, (_, n) => hookPayload(100 + n, 'restart'))),
  );
  assert.deepEqual(live.body.seqs, range(41, 50));
  await waitFor(() => viewers.every((v) => v.events.length >= 50), 'every viewer got the live 10', 10_000);

  process.kill(first.pid, 'SIGTERM');
  assert.equal(await first.exited, 0, 'a clean stop');
  for (const [index, viewer] of viewers.entries()) {
    assert.equal(viewer.shutdowns.length, 1, `viewer ${index} was told shutdown`);
    assert.ok(viewer.shutdowns[0]!.reason.length > 0, 'with a reason');
  }
  await waitFor(
    () => viewers.every((v) => v.states.includes('reconnecting')),
    'every viewer to start reconnecting on its own',
    5000,
  );

  // The token is kept across restarts, so the clients' token still works.
  const second = await startDaemon(h, ['--port', String(port)]);
  daemons.push(second);
  assert.equal(second.port, port, 'same port');
  assert.equal(second.token, first.token);
  // Some events go in while the viewers may still be reconnecting, some after they are back.
  const early = await postEvents(
    port,
    second.token,
    JSON.stringify(Array.from({ length: 25 }, (_, n) => hookPayload(200 + n, 'restart'))),
  );
  assert.equal(early.status, 202);
  assert.deepEqual(early.body.seqs, range(51, 75), 'seqs continue across the restart');
  await waitFor(
    () => viewers.every((v) => v.client.state.kind === 'connected'),
    'every viewer reconnected by itself',
    10_000,
  );
  const late = await postEvents(
    port,
    second.token,
    JSON.stringify(Array.from({ length: 25 }, (_, n) => hookPayload(300 + n, 'restart'))),
  );
  assert.deepEqual(late.body.seqs, range(76, 100));
  await waitFor(() => viewers.every((v) => v.events.length >= 100), 'every viewer has all 100', 10_000);

  for (const [index, viewer] of viewers.entries()) {
    assert.deepEqual(seqsOf(viewer.events), range(1, 100), `viewer ${index}: every seq once, in order`);
    const commands = viewer.events.map((event) => (event.data.tool_input as { command: string }).command);
    assert.equal(new Set(commands).size, 100, `viewer ${index}: 100 distinct payloads`);
    assert.ok(viewer.client.lastSeq === 100);
  }
  for (const viewer of viewers) viewer.client.stop();
  assert.equal(await second.stop(), 0);
});
