/**
 * The HTTP routes on a real server on 127.0.0.1, with a real Ingestor over a real journal store: the
 * guard comes first, tokens where DESIGN says, and every refusal is a JSON error with its status.
 */
import assert from 'node:assert/strict';
import { createServer, request as request_, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../../source/config/resolve.js';
import { Counters } from '../../source/daemon/counters.js';
import { createRequestHandler, httpAnswer, type RouteDeps } from '../../source/daemon/http-routes.js';
import { allowedHosts } from '../../source/daemon/request-guard.js';
import { Ingestor } from '../../source/pipeline/ingest.js';
import type { DiagnosticsResponse } from '../../source/protocol/diagnostics.js';
import type { HealthReport } from '../../source/protocol/health.js';
import type { StatusResponse } from '../../source/protocol/messages.js';
import type { JournalStore } from '../../source/store/index.js';
import { http } from '../e2e/harness.js';
import { hookPayload } from '../helpers/events.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { tempDir } from '../helpers/temp-home.js';
import { openTestStore } from '../store/helpers.js';

const TOKEN = '12'.repeat(32);
const MAX_BODY = 4096;
const temp = tempDir('mpm-mon-routes-');
const counters = new Counters();
const logger = recordingLogger();
let store: JournalStore;
let server: Server;
let port = 0;
let healthStatus: HealthReport['status'] = 'pass';
let diagnosticsFail = false;

before(async () => {
  store = await openTestStore(temp.path);
  const ingestor = new Ingestor({
    store,
    config: { ...resolveConfig({}).config.events, ratePerSecond: 5 },
    secret: TOKEN,
    counters,
    logger,
  });
  const deps: RouteDeps = {
    token: TOKEN,
    allowedHosts: () => allowedHosts('127.0.0.1', port),
    maxBodyBytes: MAX_BODY,
    health: () => ({ status: healthStatus }) as HealthReport,
    status: () => ({ version: 'test' }) as unknown as StatusResponse,
    diagnostics: () =>
      diagnosticsFail ? Promise.reject(new Error('boom')) : Promise.resolve({ figures: 'here' } as unknown as DiagnosticsResponse),
    metrics: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4', body: 'm_total 1\n' }),
    ingestBody: (body, producer, source, provenance) =>
      ingestor.ingestBody(body, producer, source, provenance),
    sessions: () => ({
      generatedAt: new Date(0).toISOString(),
      pricesAsOf: '2025-01-01',
      sessions: [],
      tools: [],
    }),
    onRefused: (code, message, source) => counters.refused(code, message, source),
    logger,
  };
  server = createServer(createRequestHandler(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  temp.remove();
});

const auth = { token: TOKEN };

describe('the guard, before any route', () => {
  test('a browser Origin is refused 403 even with the right token', async () => {
    const answer = await http(port, 'GET', '/health', { ...auth, headers: { origin: 'https://x.example' } });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'forbidden_origin');
  });

  test('a Host that is not this daemon is refused 403 (DNS rebinding)', async () => {
    const answer = await http(port, 'GET', '/status', { headers: { host: `rebind.example:${port}` } });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'forbidden_host');
  });
});

describe('open routes', () => {
  test('/health is 200 unless the report fails, then 503', async () => {
    healthStatus = 'warn';
    assert.equal((await http(port, 'GET', '/health')).status, 200);
    healthStatus = 'fail';
    const failing = await http(port, 'GET', '/health');
    assert.equal(failing.status, 503);
    assert.equal(failing.body.status, 'fail');
    healthStatus = 'pass';
  });

  test('/status needs no token; answers are JSON, never cached', async () => {
    const answer = await http(port, 'GET', '/status?x=1');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.version, 'test');
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.match(String(answer.headers['content-type']), /^application\/json/);
  });
});

describe('token routes', () => {
  for (const [method, path] of [
    ['GET', '/diagnostics'],
    ['GET', '/metrics'],
    ['POST', '/events'],
  ] as const)
    test(`${method} ${path} without the token is 401 with a Bearer challenge`, async () => {
      const answer = await http(port, method, path, { body: method === 'POST' ? '{}' : undefined });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'unauthorized');
      assert.match(String(answer.headers['www-authenticate']), /^Bearer/);
    });

  test('/diagnostics and /metrics with the token', async () => {
    assert.deepEqual((await http(port, 'GET', '/diagnostics', auth)).body, { figures: 'here' });
    const metrics = await http(port, 'GET', '/metrics', auth);
    assert.equal(metrics.status, 200);
    assert.equal(metrics.text, 'm_total 1\n');
    assert.match(String(metrics.headers['content-type']), /^text\/plain/);
  });

  test('a route that throws answers 500 internal and is logged', async () => {
    diagnosticsFail = true;
    const answer = await http(port, 'GET', '/diagnostics', auth);
    diagnosticsFail = false;
    assert.equal(answer.status, 500);
    assert.equal(answer.body.error.code, 'internal');
    assert.ok(logger.entries.some((entry) => entry.message === 'request failed'));
  });
});

describe('POST /events', () => {
  test('one event: 202 with its seq, stored', async () => {
    const answer = await http(port, 'POST', '/events', { ...auth, body: JSON.stringify(hookPayload(1)) });
    assert.equal(answer.status, 202, answer.text);
    assert.deepEqual(answer.body, { accepted: 1, seqs: [store.lastSeq] });
  });

  test('an event without an occurred-at header occurred when its request arrived, not when its body was read', async () => {
    const body = JSON.stringify(hookPayload(2, 'sess-slow-body'));
    const sentHeadersAt = Date.now();
    const status = await new Promise<number>((resolve, reject) => {
      const request = request_(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/events',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            'content-length': body.length,
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.flushHeaders();
      setTimeout(() => request.end(body), 300);
    });
    assert.equal(status, 202);
    const [event] = (await store.readSince(0, 100)).filter((stored) => stored.sessionId === 'sess-slow-body');
    const occurred = Date.parse(event!.occurredAt);
    assert.ok(
      occurred >= sentHeadersAt - 5 && occurred < sentHeadersAt + 200,
      `occurredAt ${event!.occurredAt}`,
    );
    assert.ok(Date.parse(event!.receivedAt) - occurred >= 250, `${event!.occurredAt} → ${event!.receivedAt}`);
  });

  test('a body over the limit is 413 and the connection is closed', async () => {
    const answer = await http(port, 'POST', '/events', { ...auth, body: 'x'.repeat(MAX_BODY + 1) });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'too_large');
    assert.match(answer.body.error.message, new RegExp(`limit of ${MAX_BODY} bytes`));
    assert.equal(answer.headers.connection, 'close');
  });

  test('over the rate limit: 429 with Retry-After in whole seconds', async () => {
    const batch = JSON.stringify(Array.from({ length: 20 }, (_, n) => hookPayload(100 + n)));
    const answer = await http(port, 'POST', '/events', { ...auth, body: batch });
    assert.equal(answer.status, 429);
    assert.equal(answer.body.error.code, 'rate_limited');
    assert.ok(Number(answer.headers['retry-after']) >= 1);
  });
});

describe('unknown routes', () => {
  test('a known path with another method is 405 with Allow', async () => {
    const answer = await http(port, 'DELETE', '/events', auth);
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.allow, 'POST');
    assert.equal(answer.body.error.code, 'method_not_allowed');
  });

  test('an unknown path is 404 listing the routes', async () => {
    const answer = await http(port, 'GET', '/nope');
    assert.equal(answer.status, 404);
    assert.match(answer.body.error.message, /no route GET \/nope; routes: GET \/health/);
  });
});

describe('httpAnswer', () => {
  test('an array with some refused items: 202 with the seqs and the errors by index', () => {
    const error = { code: 'invalid_event' as const, message: 'no' };
    assert.deepEqual(
      httpAnswer({
        ok: true,
        array: true,
        acks: [
          { ok: true, seq: 4 },
          { ok: false, error },
          { ok: true, seq: 4, duplicate: true },
        ],
      }),
      { status: 202, body: { accepted: 2, seqs: [4, 4], duplicates: 1, errors: [{ index: 1, error }] } },
    );
  });

  test('an array with every item refused: the first refusal decides the status', () => {
    const error = { code: 'journal_unavailable' as const, message: 'disk' };
    const answer = httpAnswer({ ok: true, array: true, acks: [{ ok: false, error }] });
    assert.equal(answer.status, 503);
  });
});
