import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DashboardClient, type ConnectionState } from '../../source/client/dashboard-client.js';
import type { HelloMessage } from '../../source/protocol/messages.js';
import { FakeDaemon, hello, TOKEN } from './fake-daemon.js';
import { waitFor } from '../helpers/wait.js';
import { storedEvent } from '../helpers/events.js';

const fastBackoff = { initialMs: 20, maxMs: 80, randomizationFactor: 0.5 };

describe('DashboardClient against a real socket.io server', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('receives hello and events in order, drops duplicates, resumes with since after the server comes back', async () => {
    const daemon = new FakeDaemon();
    await daemon.listen();
    const port = daemon.port;
    daemon.onViewer = (socket) => {
      socket.emit('hello', hello(3, { fromSeq: 0, count: 3 }));
      socket.emit('events', [storedEvent(1), storedEvent(2), storedEvent(3)]);
      socket.emit('event', storedEvent(2)); // a duplicate: must be dropped
      socket.emit('event', storedEvent(4));
    };

    const received: number[] = [];
    const states: ConnectionState['kind'][] = [];
    const hellos: HelloMessage[] = [];
    const client = new DashboardClient(
      { host: '127.0.0.1', port, token: TOKEN, last: 100, backoff: fastBackoff },
      {
        onEvents: (events) => received.push(...events.map((event) => event.seq)),
        onState: (state) => states.push(state.kind),
        onHello: (message) => hellos.push(message),
      },
    ).start();
    cleanups.push(() => client.stop());

    await waitFor(() => received.length === 4, 'four events');
    assert.deepEqual(received, [1, 2, 3, 4]);
    assert.equal(hellos.length, 1);
    assert.deepEqual(daemon.handshakes[0], { token: TOKEN, last: 100 });
    assert.equal(client.lastSeq, 4);

    await daemon.close();
    await waitFor(() => client.state.kind === 'reconnecting', 'the client to notice the drop');

    const second = new FakeDaemon();
    second.onViewer = (socket, auth) => {
      const since = Number(auth.since);
      socket.emit('hello', hello(6, { fromSeq: since, count: 6 - since }));
      const replay = [storedEvent(3), storedEvent(4), storedEvent(5), storedEvent(6)].filter(
        (event) => event.seq > since,
      );
      socket.emit('events', replay);
    };
    await second.listen(port);
    cleanups.push(() => second.close());

    await waitFor(() => received.length === 6, 'the resumed events');
    assert.deepEqual(received, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(second.handshakes.at(-1), { token: TOKEN, since: 4 });
    assert.ok(states.includes('reconnecting'));
    assert.equal(states.at(-1), 'connected');
  });

  test('reconnects by itself after the server calls socket.disconnect(), sending the current since', async () => {
    const daemon = new FakeDaemon();
    await daemon.listen();
    cleanups.push(() => daemon.close());
    let connections = 0;
    daemon.onViewer = (socket, auth) => {
      connections += 1;
      // Live only on the first connect; a resume replays nothing here, then live events follow.
      const since = auth.since === undefined ? null : Number(auth.since);
      socket.emit('hello', hello(connections * 2 - 2, since === null ? null : { fromSeq: since, count: 0 }));
      socket.emit('events', [storedEvent(connections * 2 - 1), storedEvent(connections * 2)]);
      if (connections === 1) {
        socket.emit('shutdown', { reason: 'restart requested', restarting: true });
        setImmediate(() => socket.disconnect(true));
      }
    };
    const shutdowns: string[] = [];
    const received: number[] = [];
    const client = new DashboardClient(
      { host: '127.0.0.1', port: daemon.port, token: TOKEN, backoff: fastBackoff },
      {
        onEvents: (events) => received.push(...events.map((event) => event.seq)),
        onShutdown: (message) => shutdowns.push(message.reason),
      },
    ).start();
    cleanups.push(() => client.stop());

    await waitFor(() => connections === 2 && received.length === 4, 'a second connection with its events');
    assert.deepEqual(shutdowns, ['restart requested']);
    assert.deepEqual(daemon.handshakes[0], { token: TOKEN });
    assert.deepEqual(daemon.handshakes[1], { token: TOKEN, since: 2 });
    assert.deepEqual(received, [1, 2, 3, 4]);
  });

  test('a refused token keeps retrying with growing delays and says why', async () => {
    const daemon = new FakeDaemon();
    await daemon.listen();
    cleanups.push(() => daemon.close());
    const states: ConnectionState[] = [];
    const client = new DashboardClient(
      { host: '127.0.0.1', port: daemon.port, token: 'wrong', backoff: fastBackoff, random: () => 0.5 },
      { onState: (state) => states.push(state) },
    ).start();
    cleanups.push(() => client.stop());
    const scheduledRetries = (): Array<Extract<ConnectionState, { kind: 'reconnecting' }>> =>
      states.filter(
        (state): state is Extract<ConnectionState, { kind: 'reconnecting' }> =>
          state.kind === 'reconnecting' && state.inMs > 0,
      );
    // The third refusal arrives after the third handshake: wait for what is asserted, not for the attempt.
    await waitFor(() => scheduledRetries().length >= 3, 'three retries scheduled after refusals');
    const scheduled = scheduledRetries();
    assert.equal(scheduled[0]?.error, 'unauthorized');
    assert.deepEqual(
      scheduled.slice(0, 3).map((state) => [state.attempt, state.inMs]),
      [
        [1, 20],
        [2, 40],
        [3, 80],
      ],
    );
    client.stop();
    assert.equal(client.state.kind, 'closed');
  });

  test('a replay that starts after the last seq seen is reported as a gap', async () => {
    const daemon = new FakeDaemon();
    await daemon.listen();
    cleanups.push(() => daemon.close());
    daemon.onViewer = (socket) => {
      socket.emit('hello', hello(50, { fromSeq: 40, count: 10 }));
      socket.emit('events', [storedEvent(41)]);
    };
    const gaps: Array<{ from: number; to: number }> = [];
    const received: number[] = [];
    const client = new DashboardClient(
      { host: '127.0.0.1', port: daemon.port, token: TOKEN, since: 10, backoff: fastBackoff },
      { onGap: (gap) => gaps.push(gap), onEvents: (events) => received.push(...events.map((e) => e.seq)) },
    ).start();
    cleanups.push(() => client.stop());
    await waitFor(() => received.length === 1, 'the replayed event');
    assert.deepEqual(gaps, [{ from: 11, to: 40 }]);
    assert.deepEqual(daemon.handshakes[0], { token: TOKEN, since: 10 });
  });
});
