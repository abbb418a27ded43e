/** GET /diagnostics and the `diagnostics` ack of a real daemon are one typed DiagnosticsResponse. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DashboardClient } from '../../source/client/dashboard-client.js';
import { httpJson } from '../../source/client/http-json.js';
import { isDiagnostics, type DiagnosticsResponse } from '../../source/protocol/diagnostics.js';
import { startDaemon, type DaemonProcess } from '../helpers/daemon.js';
import { makeHome, type Home } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

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

/** Every key the type promises is there, with the parts readers use in their shape. */
function assertShape(body: DiagnosticsResponse): void {
  const keys: Array<keyof DiagnosticsResponse> = [
    'generatedAt',
    'version',
    'node',
    'platform',
    'home',
    'config',
    'pidFile',
    'status',
    'health',
    'history',
    'recovery',
    'viewers',
    'producers',
    'cluster',
    'load',
    'journal',
    'spool',
    'refusals',
    'sessions',
  ];
  assert.deepEqual(Object.keys(body).sort(), [...keys].sort());
  assert.equal(body.status.pid, daemon.pid);
  assert.equal(body.recovery.breaker.state, 'closed');
  assert.ok(Array.isArray(body.recovery.log));
  assert.equal(typeof body.sessions.reader.refreshes, 'number');
  assert.equal(body.journal.kind, 'journal');
  assert.equal(typeof body.load.maxConnections, 'number');
}

test('over HTTP', async () => {
  const answer = await httpJson(`http://127.0.0.1:${daemon.port}/diagnostics`, {
    timeoutMs: 5000,
    token: daemon.token,
  });
  assert.equal(answer.status, 200);
  assert.ok(isDiagnostics(answer.body));
  assertShape(answer.body);
});

test('as the /dashboard ack', async () => {
  const client = new DashboardClient({ host: '127.0.0.1', port: daemon.port, token: daemon.token });
  try {
    client.start();
    await waitFor(() => client.connected, 'the viewer to connect');
    const body = await client.diagnostics();
    assert.ok(isDiagnostics(body));
    assertShape(body);
  } finally {
    client.stop();
  }
});
