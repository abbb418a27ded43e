import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { get, http, postEvents } from './harness.js';
import { hookPayload } from '../helpers/events.js';
import { type Home, makeHome } from '../helpers/temp-home.js';
import { type DaemonProcess, startDaemon } from '../helpers/daemon.js';

describe('who may talk to the daemon', () => {
  let home: Home;
  let daemon: DaemonProcess;
  before(async () => {
    home = makeHome();
    daemon = await startDaemon(home);
  });
  after(async () => {
    await daemon.stop();
    home.remove();
  });

  const body = JSON.stringify(hookPayload(1));

  test('no token, a wrong token: 401 with the reason', async () => {
    const none = await postEvents(daemon.port, '', body);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthorized');
    assert.match(none.body.error.message, /missing token/);
    const wrong = await postEvents(daemon.port, 'x'.repeat(64), body);
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error.message, /wrong token/);
    assert.equal((await get(daemon.port, '/diagnostics')).status, 401);
    assert.equal((await get(daemon.port, '/metrics', 'nope')).status, 401);
  });

  test('a browser Origin is refused even with the right token', async () => {
    const answer = await postEvents(daemon.port, daemon.token, body, { origin: 'https://evil.example' });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'forbidden_origin');
    const health = await http(daemon.port, 'GET', '/health', {
      headers: { origin: 'http://localhost:3000' },
    });
    assert.equal(health.status, 403);
  });

  test('a foreign Host (DNS rebinding) is refused even with the right token', async () => {
    const answer = await postEvents(daemon.port, daemon.token, body, { host: `evil.example:${daemon.port}` });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'forbidden_host');
    const ok = await postEvents(daemon.port, daemon.token, body, { host: `localhost:${daemon.port}` });
    assert.equal(ok.status, 202);
  });

  test('Socket.IO: no token, wrong token, a browser Origin are refused', async () => {
    const attempt = (auth: Record<string, unknown>, extraHeaders?: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = io(`http://127.0.0.1:${daemon.port}/dashboard`, {
          transports: ['websocket'],
          auth,
          reconnection: false,
          forceNew: true,
          extraHeaders,
        });
        socket.once('connect', () => {
          socket.disconnect();
          resolve('connected');
        });
        socket.once('connect_error', (error) => {
          socket.disconnect();
          resolve(error.message);
        });
      });
    assert.match(await attempt({}), /missing token/);
    assert.match(await attempt({ token: 'wrong' }), /wrong token/);
    assert.notEqual(await attempt({ token: daemon.token }, { origin: 'https://evil.example' }), 'connected');
    assert.equal(await attempt({ token: daemon.token }), 'connected');
  });

  test('/health and /status need no token but say nothing secret', async () => {
    const health = await get(daemon.port, '/health');
    assert.equal(health.status, 200);
    assert.ok(!health.text.includes(daemon.token));
    const diagnostics = await get(daemon.port, '/diagnostics', daemon.token);
    assert.equal(diagnostics.status, 200);
    assert.ok(!diagnostics.text.includes(daemon.token), 'diagnostics masks the token');
  });
});
