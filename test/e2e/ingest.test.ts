import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectProducer, connectViewer, fixture, FIXTURES, get, http, postEvents } from './harness.js';
import { hookPayload, seqsOf } from '../helpers/events.js';
import { type Home, makeHome } from '../helpers/temp-home.js';
import { type DaemonProcess, runCliAsync, startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const SECRETS = [
  'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngOnly0000',
  'sk-ant-api03-EXAMPLEEXAMPLEEXAMPLEEXAMPLE-EXAMPLEAA',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('ingest through the real daemon', () => {
  let home: Home;
  let daemon: DaemonProcess;
  before(async () => {
    home = makeHome();
    home.writeConfig({
      events: { maxBytes: 8192, maxRequestBytes: 65_536, ratePerSecond: 50 },
      // The rate-limit flood opens 120 connections at once: all pending, so above the default 64 the
      // connection guard would close the oldest (a connection limit, not the rate limit under test).
      limits: { maxPendingConnections: 256 },
    });
    daemon = await startDaemon(home);
  });
  after(async () => {
    await daemon.stop();
    home.remove();
  });

  test('every fixture goes through `mpm-mon hook` to a viewer, in order, scrubbed', async () => {
    const viewer = await connectViewer(daemon.port, { token: daemon.token });
    const names = readdirSync(FIXTURES)
      .filter((name) => name.endsWith('.json'))
      .sort();
    for (const name of names) {
      const result = await runCliAsync(home, ['hook'], fixture(name));
      assert.equal(result.code, 0);
      assert.equal(result.stdout, '', 'the hook prints nothing on stdout');
    }
    await waitFor(() => viewer.events.length >= names.length, 'every fixture at the viewer', 10_000);
    viewer.close();
    const types = viewer.events.map((event) => event.type);
    const expected = names.map((name) => JSON.parse(fixture(name)).hook_event_name);
    assert.deepEqual(types, expected);
    const seqs = seqsOf(viewer.events);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    for (const event of viewer.events) {
      assert.equal(event.source, 'hook');
      assert.ok(event.id && event.receivedAt && event.sessionId);
    }
    const bash = viewer.events.find(
      (event) => event.tool === 'Bash' && JSON.stringify(event.data).includes('REDACTED'),
    );
    assert.ok(bash, 'the secret fixture arrived, redacted');
    assert.match(JSON.stringify(bash.data), /curl/);
    const wire = JSON.stringify(viewer.messages);
    for (const secret of SECRETS) assert.ok(!wire.includes(secret), 'no secret on the wire');
    for (const file of filesUnder(home.path)) {
      const text = readFileSync(file, 'utf8');
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `no secret in ${file}`);
    }
  });

  test('POST /events: one event, an array, and the same payload twice stored once', async () => {
    const one = await postEvents(daemon.port, daemon.token, JSON.stringify(hookPayload(1000)));
    assert.equal(one.status, 202);
    assert.equal(one.body.accepted, 1);
    const again = await postEvents(daemon.port, daemon.token, JSON.stringify(hookPayload(1000)));
    assert.equal(again.status, 202);
    assert.deepEqual(again.body.seqs, one.body.seqs, 'a duplicate acks the original seq');
    assert.equal(again.body.duplicates, 1);
    const many = await postEvents(
      daemon.port,
      daemon.token,
      JSON.stringify([hookPayload(1001), hookPayload(1002)]),
    );
    assert.equal(many.status, 202);
    assert.equal(many.body.accepted, 2);
    assert.deepEqual(many.body.seqs, [one.body.seqs[0] + 1, one.body.seqs[0] + 2]);
  });

  test('POST /events?from=claude-code (the http hook) is answered with {} that Claude Code accepts, refusals unchanged', async () => {
    const path = '/events?from=claude-code';
    const body = JSON.stringify(hookPayload(1100));
    const answer = await http(daemon.port, 'POST', path, { token: daemon.token, body });
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, {});
    const again = await postEvents(daemon.port, daemon.token, body);
    assert.equal(again.body.duplicates, 1, 'the first POST was stored');
    const refused = await http(daemon.port, 'POST', path, { token: 'wrong', body });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'unauthorized');
  });

  test('a catalogue of malformed inputs: each refused with its reason, the daemon healthy after', async () => {
    const cases: Array<[string, string | Buffer, number, string]> = [
      ['not JSON', '{"session_id": ', 400, 'invalid_json'],
      ['a number', '42', 400, 'invalid_event'],
      ['null', 'null', 400, 'invalid_event'],
      ['no hook_event_name', JSON.stringify({ session_id: 's' }), 400, 'invalid_event'],
      [
        'hook_event_name not a string',
        JSON.stringify({ session_id: 's', hook_event_name: 7 }),
        400,
        'invalid_event',
      ],
      ['empty session_id', JSON.stringify({ session_id: '', hook_event_name: 'Stop' }), 400, 'invalid_event'],
      [
        'prototype pollution',
        '{"session_id":"s","hook_event_name":"Stop","__proto__":{"admin":true}}',
        400,
        'invalid_event',
      ],
      [
        'too deep',
        `{"session_id":"s","hook_event_name":"Stop","d":${'['.repeat(200)}${']'.repeat(200)}}`,
        400,
        'too_deep',
      ],
      [
        'too large',
        JSON.stringify({ session_id: 's', hook_event_name: 'Stop', big: 'x'.repeat(70_000) }),
        413,
        'too_large',
      ],
      ['invalid UTF-8 / binary', Buffer.from([0xff, 0xfe, 0x00, 0x7b]), 400, 'invalid_json'],
    ];
    for (const [what, body, status, code] of cases) {
      const answer = await postEvents(daemon.port, daemon.token, body);
      assert.equal(answer.status, status, `${what}: ${answer.text}`);
      assert.equal(answer.body.error.code, code, what);
      assert.ok(answer.body.error.message.length > 10, `${what} has a reason`);
    }
    const health = await get(daemon.port, '/health');
    assert.equal(health.status, 200);
    const ok = await postEvents(daemon.port, daemon.token, JSON.stringify(hookPayload(2000)));
    assert.equal(ok.status, 202);
  });

  test('Socket.IO /ingest acks with a seq, cuts big events, refuses bad and oversized ones without dropping', async () => {
    const socket = await connectProducer(daemon.port, daemon.token);
    try {
      const good = await socket.timeout(5000).emitWithAck('event', hookPayload(3000));
      assert.equal(good.ok, true);
      assert.ok(good.seq > 0);
      const bad = await socket.timeout(5000).emitWithAck('event', { hook_event_name: 'Stop' });
      assert.equal(bad.ok, false);
      assert.equal(bad.error.code, 'invalid_event');
      assert.match(bad.error.message, /session_id/);
      const big = await socket
        .timeout(5000)
        .emitWithAck('event', hookPayload(3001, 's', { big: 'y'.repeat(20_000) }));
      assert.equal(big.ok, true, 'over maxBytes is cut and stored');
      const huge = await socket
        .timeout(5000)
        .emitWithAck('event', hookPayload(3002, 's', { big: 'y'.repeat(70_000) }));
      assert.equal(huge.ok, false);
      assert.equal(huge.error.code, 'too_large');
      assert.ok(socket.connected, 'still connected after an oversized event');
    } finally {
      socket.disconnect();
    }
  });

  test('a flood over the rate limit gets 429 with Retry-After; another producer is unaffected', async () => {
    const socket = await connectProducer(daemon.port, daemon.token);
    try {
      // Bursts in parallel: one request after another would not outrun the refill on a slow machine.
      let limited: any = null;
      for (let round = 0; round < 5 && !limited; round++) {
        const answers = await Promise.all(
          Array.from({ length: 120 }, (_, i) =>
            postEvents(daemon.port, daemon.token, JSON.stringify(hookPayload(4000 + round * 120 + i))),
          ),
        );
        limited = answers.find((answer) => answer.status === 429) ?? null;
      }
      assert.ok(limited, 'the flood was limited');
      assert.equal(limited.body.error.code, 'rate_limited');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      const other = await socket.timeout(5000).emitWithAck('event', hookPayload(5000));
      assert.equal(other.ok, true, 'the socket producer has its own budget');
    } finally {
      socket.disconnect();
    }
  });

  test('/status counts events and viewers', async () => {
    const status = await get(daemon.port, '/status');
    assert.equal(status.status, 200);
    assert.equal(status.body.pid, daemon.pid);
    assert.equal(status.body.port, daemon.port);
    assert.ok(status.body.events.total > 0);
    assert.equal(typeof status.body.clients.viewers, 'number');
  });

  test('GET on an unknown route is 404 with the list of routes, a wrong method 405', async () => {
    const missing = await get(daemon.port, '/nope');
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /GET \/health/);
    const wrong = await http(daemon.port, 'DELETE', '/events', { token: daemon.token });
    assert.equal(wrong.status, 405);
  });
});
