import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { checkInput, decideAfterPost, hookTimeoutMs, refusalCode } from '../../source/hook/decide.js';
import { connectHost, hostPort } from '../../source/client/discover.js';
import { readBoundedInput } from '../../source/hook/read-input.js';

describe('decideAfterPost', () => {
  const answered = (status: number, body = ''): Parameters<typeof decideAfterPost>[0] => ({
    kind: 'answered',
    status,
    body,
  });

  test('2xx is done', () => {
    assert.deepEqual(decideAfterPost(answered(202), 10), { action: 'done' });
    assert.deepEqual(decideAfterPost(answered(200), 10), { action: 'done' });
  });

  test('400 and 413 drop the payload and record the refusal code', () => {
    assert.deepEqual(decideAfterPost(answered(413, '{"error":{"code":"too_large","message":"m"}}'), 9), {
      action: 'drop',
      record: { reason: 'rejected', size: 9, status: 413, code: 'too_large' },
    });
    assert.equal(decideAfterPost(answered(400, 'not json'), 1).action, 'drop');
  });

  test('429, 5xx, timeouts and connection failures spool quietly; 401/403/404 spool and record', () => {
    for (const result of [answered(429), answered(500), answered(503), { kind: 'timeout' } as const])
      assert.deepEqual(decideAfterPost(result, 1), { action: 'spool' });
    assert.deepEqual(decideAfterPost({ kind: 'failed', code: 'ECONNREFUSED' }, 1), { action: 'spool' });
    for (const status of [401, 403, 404]) {
      const decision = decideAfterPost(answered(status), 1);
      assert.equal(decision.action, 'spool');
      assert.equal(decision.action === 'spool' && decision.record?.status, status);
    }
  });

  test('a daemon whose certificate does not verify: spooled, and the TLS code recorded', () => {
    for (const code of [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ERR_MPM_MON_CERT_PIN',
    ])
      assert.deepEqual(decideAfterPost({ kind: 'failed', code }, 7), {
        action: 'spool',
        record: { reason: 'tls_refused', size: 7, code },
      });
  });

  test('refusalCode only passes plain identifiers through', () => {
    assert.equal(refusalCode('{"error":{"code":"invalid_event"}}'), 'invalid_event');
    assert.equal(refusalCode('{"error":{"code":"sk-ant-secret value"}}'), undefined);
    assert.equal(refusalCode('{"error":"x"}'), undefined);
    assert.equal(refusalCode('<html>'), undefined);
  });
});

describe('checkInput', () => {
  test('a complete JSON object passes as the exact text', () => {
    assert.deepEqual(checkInput({ kind: 'complete', text: ' {"a":1}\n', bytes: 9 }), {
      ok: true,
      raw: ' {"a":1}\n',
      value: { a: 1 },
    });
  });

  test('a payload that arrived whole before a stdin timeout is still used', () => {
    assert.equal(checkInput({ kind: 'timeout', text: '{"a":1}', bytes: 7 }).ok, true);
    const partial = checkInput({ kind: 'timeout', text: '{"a":', bytes: 5 });
    assert.deepEqual(partial, { ok: false, record: { reason: 'input_timeout', size: 5 } });
  });

  test('too large, unreadable, empty, invalid and non-object input are recorded by size only', () => {
    assert.deepEqual(checkInput({ kind: 'too_large', bytes: 2_000_000 }), {
      ok: false,
      record: { reason: 'input_too_large', size: 2_000_000 },
    });
    assert.equal(checkInput({ kind: 'failed', code: 'EIO', bytes: 0 }).ok, false);
    assert.deepEqual(checkInput({ kind: 'complete', text: '', bytes: 0 }), {
      ok: false,
      record: { reason: 'empty_input', size: 0 },
    });
    assert.deepEqual(checkInput({ kind: 'complete', text: 'nope', bytes: 4 }), {
      ok: false,
      record: { reason: 'invalid_json', size: 4 },
    });
    assert.deepEqual(checkInput({ kind: 'complete', text: '"str"', bytes: 5 }), {
      ok: false,
      record: { reason: 'not_an_object', size: 5 },
    });
  });
});

describe('hookTimeoutMs', () => {
  test('option, then MPM_MON_HOOK_TIMEOUT_MS, then 200 ms; clamped; nonsense ignored', () => {
    assert.equal(hookTimeoutMs(undefined, {}), 200);
    assert.equal(hookTimeoutMs(undefined, { MPM_MON_HOOK_TIMEOUT_MS: '120' }), 120);
    assert.equal(hookTimeoutMs(80, { MPM_MON_HOOK_TIMEOUT_MS: '120' }), 80);
    assert.equal(hookTimeoutMs(undefined, { MPM_MON_HOOK_TIMEOUT_MS: 'fast' }), 200);
    assert.equal(hookTimeoutMs(undefined, { MPM_MON_HOOK_TIMEOUT_MS: '999999' }), 5000);
    assert.equal(hookTimeoutMs(1, {}), 10);
  });
});

describe('daemon address helpers', () => {
  test('wildcard listen hosts are reached through loopback; IPv6 goes in brackets', () => {
    assert.equal(connectHost('0.0.0.0'), '127.0.0.1');
    assert.equal(connectHost('::'), '::1');
    assert.equal(connectHost('127.0.0.1'), '127.0.0.1');
    assert.equal(hostPort('::1', 8765), '[::1]:8765');
    assert.equal(hostPort('127.0.0.1', 8765), '127.0.0.1:8765');
  });
});

describe('readBoundedInput', () => {
  test('reads to EOF, multi-byte characters split across chunks intact', async () => {
    const stream = new PassThrough();
    const reading = readBoundedInput(stream);
    const bytes = Buffer.from('{"x":"é✓"}', 'utf8');
    stream.write(bytes.subarray(0, 7));
    stream.end(bytes.subarray(7));
    assert.deepEqual(await reading, { kind: 'complete', text: '{"x":"é✓"}', bytes: bytes.length });
  });

  test('stops past maxBytes without waiting for EOF', async () => {
    const stream = new PassThrough();
    const reading = readBoundedInput(stream, { maxBytes: 10, timeoutMs: 5000 });
    stream.write('x'.repeat(11));
    const result = await reading;
    assert.deepEqual(result, { kind: 'too_large', bytes: 11 });
    assert.equal(stream.destroyed, true);
  });

  test('a writer that never closes stdin is given up on after timeoutMs', async () => {
    const stream = new PassThrough();
    const reading = readBoundedInput(stream, { timeoutMs: 50 });
    stream.write('{"a":1}');
    const started = performance.now();
    const result = await reading;
    assert.deepEqual(result, { kind: 'timeout', text: '{"a":1}', bytes: 7 });
    assert.ok(performance.now() - started < 1000);
  });
});
