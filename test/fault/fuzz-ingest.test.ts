/**
 * Property-based fuzzing of the real daemon's ingest paths: arbitrary JSON values, near-valid hook
 * payloads with mutated fields, mangled JSON text and random bytes, over HTTP POST /events and over
 * Socket.IO /ingest. Every input gets an answer — accepted, or refused with a known code, its HTTP
 * status and a reason — and the daemon is still healthy and delivering afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { REFUSAL_STATUS, type WireError } from '../../source/protocol/event.js';
import { HOOK_EVENT_NAMES } from '../../source/claude/hook-events.js';
import { connectProducer, connectViewer, get, postEvents, rssMb } from '../e2e/harness.js';
import { hookPayload } from '../helpers/events.js';
import { type Home, makeHome } from '../helpers/temp-home.js';
import { type DaemonProcess, startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const MAX_BYTES = 4096;
/** Between MAX_BYTES and this an event is cut to fit and stored; above it, refused as too_large. */
const MAX_REQUEST_BYTES = 2 * MAX_BYTES;
const RUNS = 600;
const CODES = new Set(Object.keys(REFUSAL_STATUS));

// ---- generators ----------------------------------------------------------------------------------

const anyJson = fc.jsonValue({ maxDepth: 5 });

/** A hook payload with each field kept, dropped, or replaced by something of the wrong kind. */
const nearValidHook = fc
  .record(
    {
      session_id: fc.oneof(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.constant(''),
        fc.integer(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 2 }),
      ),
      hook_event_name: fc.oneof(
        fc.constantFrom(...HOOK_EVENT_NAMES),
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.constant(null),
        fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
      ),
      cwd: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null)),
      tool_name: fc.oneof(
        fc.constantFrom('Bash', 'Edit', 'Read'),
        fc.string({ maxLength: 10 }),
        fc.boolean(),
      ),
      tool_input: anyJson,
      big: fc.string({ minLength: MAX_BYTES - 200, maxLength: MAX_REQUEST_BYTES + 200 }),
    },
    { requiredKeys: [] },
  )
  .chain((fields) =>
    fc
      .dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 3 })
      .map((extra) => ({ ...extra, ...fields })),
  );

/** Text that is almost JSON: a valid payload with a few characters cut or inserted, or deep nesting. */
const mangledText = fc.oneof(
  fc.tuple(fc.nat(1000), fc.nat(500), fc.nat(4), fc.string({ maxLength: 4 })).map(([n, at, drop, insert]) => {
    const json = JSON.stringify(hookPayload(n, 'fuzz'));
    const cut = at % json.length;
    return json.slice(0, cut) + insert + json.slice(cut + drop);
  }),
  fc
    .integer({ min: 1, max: 400 })
    .map(
      (depth) => `{"session_id":"s","hook_event_name":"Stop","d":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    ),
  fc.constant('{"session_id":"s","hook_event_name":"Stop","__proto__":{"polluted":true}}'),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const randomBytes = fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes));

// ---- answers --------------------------------------------------------------------------------------

interface Tally {
  accepted: number;
  codes: Map<string, number>;
}

const newTally = (): Tally => ({ accepted: 0, codes: new Map() });

function wellFormedRefusal(error: WireError | undefined, what: string): WireError {
  assert.ok(error && typeof error === 'object', `${what}: an error object`);
  assert.ok(CODES.has(error.code), `${what}: known code, got ${String(error.code)}`);
  assert.equal(typeof error.message, 'string', `${what}: a message`);
  assert.ok(error.message.length > 0, `${what}: a non-empty message`);
  return error;
}

/** A hook payload just over events.maxRequestBytes: refused as too_large, never cut. */
function overRequestLimit(): Record<string, unknown> {
  return { hook_event_name: 'PreToolUse', session_id: 'fuzz-edge', big: 'x'.repeat(MAX_REQUEST_BYTES + 100) };
}

async function checkHttp(port: number, token: string, body: string | Buffer, tally: Tally): Promise<void> {
  const answer = await postEvents(port, token, body);
  const what = `POST ${answer.status} ${answer.text.slice(0, 200)}`;
  if (answer.status === 202) {
    assert.equal(typeof answer.body?.accepted, 'number', what);
    assert.ok(Array.isArray(answer.body.seqs), what);
    assert.equal(answer.body.seqs.length, answer.body.accepted, what);
    for (const seq of answer.body.seqs) assert.ok(Number.isSafeInteger(seq) && seq > 0, what);
    for (const item of answer.body.errors ?? []) wellFormedRefusal(item.error, what);
    tally.accepted += answer.body.accepted;
    return;
  }
  const error = wellFormedRefusal(answer.body?.error, what);
  assert.equal(answer.status, REFUSAL_STATUS[error.code], `${what}: status matches the code`);
  assert.notEqual(error.code, 'internal', `${what}: bad input is not an internal error`);
  assert.notEqual(error.code, 'rate_limited', `${what}: the rate limit is out of the way`);
  tally.codes.set(error.code, (tally.codes.get(error.code) ?? 0) + 1);
}

async function checkSocket(socket: Socket, payload: unknown, tally: Tally): Promise<void> {
  const ack = await socket.timeout(5000).emitWithAck('event', payload);
  const what = `ack ${JSON.stringify(ack)?.slice(0, 200)}`;
  assert.ok(ack && typeof ack === 'object', what);
  if (ack.ok === true) {
    assert.ok(Number.isSafeInteger(ack.seq) && ack.seq > 0, what);
    tally.accepted += 1;
    return;
  }
  assert.equal(ack.ok, false, what);
  const error = wellFormedRefusal(ack.error, what);
  assert.notEqual(error.code, 'internal', `${what}: bad input is not an internal error`);
  assert.notEqual(error.code, 'rate_limited', `${what}: the rate limit is out of the way`);
  tally.codes.set(error.code, (tally.codes.get(error.code) ?? 0) + 1);
}

// ---- the suite ------------------------------------------------------------------------------------

describe('fuzzing the ingest paths of the real daemon', () => {
  let home: Home;
  let daemon: DaemonProcess;
  let socket: Socket;
  let baselineRss = 0;
  let peakRss = 0;
  const http = newTally();
  const sock = newTally();

  before(async () => {
    home = makeHome();
    home.writeConfig({
      events: { maxBytes: MAX_BYTES, maxRequestBytes: MAX_REQUEST_BYTES, ratePerSecond: 1_000_000 },
    });
    daemon = await startDaemon(home);
    socket = await connectProducer(daemon.port, daemon.token);
    baselineRss = peakRss = rssMb(daemon.pid);
  });
  after(async () => {
    socket?.disconnect();
    await daemon?.stop('SIGKILL');
    home?.remove();
  });

  const sample = (): void => {
    peakRss = Math.max(peakRss, rssMb(daemon.pid));
  };

  test('HTTP POST /events: arbitrary JSON, near-valid hooks, mangled text, random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (value) =>
        checkHttp(daemon.port, daemon.token, JSON.stringify(value), http),
      ),
      { numRuns: RUNS },
    );
    sample();
    await fc.assert(
      fc.asyncProperty(nearValidHook, async (value) =>
        checkHttp(daemon.port, daemon.token, JSON.stringify(value), http),
      ),
      { numRuns: RUNS },
    );
    sample();
    await fc.assert(
      fc.asyncProperty(mangledText, async (text) => checkHttp(daemon.port, daemon.token, text, http)),
      { numRuns: RUNS },
    );
    sample();
    await fc.assert(
      fc.asyncProperty(randomBytes, async (bytes) => checkHttp(daemon.port, daemon.token, bytes, http)),
      { numRuns: RUNS / 2 },
    );
    // The edges the generators reach only now and then: one request just over the refusal limit.
    await checkHttp(daemon.port, daemon.token, JSON.stringify(overRequestLimit()), http);
    sample();
    assert.ok(http.accepted > 0, 'some inputs were accepted');
    for (const code of ['invalid_json', 'invalid_event', 'too_large', 'too_deep'])
      assert.ok(http.codes.has(code), `the fuzz reached ${code} (saw ${[...http.codes.keys()].join(', ')})`);
  });

  test('Socket.IO /ingest: arbitrary JSON, near-valid hooks, mangled text, random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (value) => checkSocket(socket, value, sock)),
      { numRuns: RUNS },
    );
    sample();
    await fc.assert(
      fc.asyncProperty(nearValidHook, async (value) => checkSocket(socket, value, sock)),
      { numRuns: RUNS },
    );
    sample();
    await fc.assert(
      fc.asyncProperty(mangledText, async (text) => checkSocket(socket, text, sock)),
      { numRuns: RUNS },
    );
    sample();
    await fc.assert(
      fc.asyncProperty(randomBytes, async (bytes) => checkSocket(socket, bytes, sock)),
      { numRuns: RUNS / 2 },
    );
    await checkSocket(socket, overRequestLimit(), sock);
    sample();
    assert.ok(socket.connected, 'the producer is still connected after all of it');
    assert.ok(sock.accepted > 0, 'some inputs were accepted');
    for (const code of ['invalid_event', 'too_large'])
      assert.ok(sock.codes.has(code), `the fuzz reached ${code} (saw ${[...sock.codes.keys()].join(', ')})`);
  });

  test('afterwards: /health 200, a viewer still receives a valid event, RSS bounded', async (t) => {
    const health = await get(daemon.port, '/health');
    assert.equal(health.status, 200, health.text.slice(0, 500));
    assert.notEqual(health.body.status, 'fail');
    const viewer = await connectViewer(daemon.port, { token: daemon.token });
    try {
      const answer = await postEvents(
        daemon.port,
        daemon.token,
        JSON.stringify(hookPayload(1, 'after-fuzz')),
      );
      assert.equal(answer.status, 202);
      const seq = answer.body.seqs[0] as number;
      const event = await waitFor(
        () => viewer.events.find((candidate) => candidate.seq === seq),
        'the event after the fuzz at a viewer',
        5000,
      );
      assert.equal(event.type, 'PreToolUse');
      assert.equal(event.sessionId, 'after-fuzz');
      assert.equal(event.tool, 'Bash');
      assert.ok(event.id && event.receivedAt);
    } finally {
      viewer.close();
    }
    sample();
    const summary = (tally: Tally): string =>
      `${tally.accepted} accepted; ${[...tally.codes].map(([code, count]) => `${code} ${count}`).join(', ')}`;
    t.diagnostic(`HTTP: ${summary(http)}`);
    t.diagnostic(`Socket.IO: ${summary(sock)}`);
    t.diagnostic(`RSS ${baselineRss.toFixed(0)} → peak ${peakRss.toFixed(0)} MB`);
    // Coarse guard against a runaway: the daemon's own memory warning threshold (memoryMb warn).
    assert.ok(peakRss < 300, `RSS peaked at ${peakRss.toFixed(0)} MB`);
  });
});
