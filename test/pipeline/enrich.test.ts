import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  canonicalJson,
  contentId,
  contentKey,
  enrich,
  processPayload,
  readOccurredAt,
  readTruncated,
  scrub,
} from '../../source/pipeline/index.js';

const SECRET = 'daemon-token-for-tests';
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const OPTIONS = { secret: SECRET, source: 'hook' as const, now: () => NOW };

describe('canonicalJson', () => {
  test('sorts keys at every level and keeps array order', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  test('matches JSON.stringify for values without objects, and escapes keys', () => {
    for (const value of ['x"y', 1.5, true, null, [1, 'a'], '\u2028'])
      assert.equal(canonicalJson(value), JSON.stringify(value));
    assert.equal(canonicalJson({ 'a"b': 1 }), '{"a\\"b":1}');
  });

  test('leaves out undefined in objects and writes null in arrays, like JSON.stringify', () => {
    assert.equal(canonicalJson({ a: undefined, b: [undefined] }), '{"b":[null]}');
  });

  test('is as long as JSON.stringify of the same plain JSON (the size check reads it)', () => {
    const value = { z: ['é', { y: '\u2028"', x: [1.5, null, true] }], a: '😀\n', m: {} };
    assert.equal(Buffer.byteLength(canonicalJson(value)), Buffer.byteLength(JSON.stringify(value)));
    assert.deepEqual(JSON.parse(canonicalJson(value)), value);
  });
});

describe('contentId', () => {
  const payload = { hook_event_name: 'Stop', session_id: 's', nested: { b: 2, a: 1 } };

  test('is HMAC-SHA256 of the canonical JSON, hex, first 32 characters', () => {
    const expected = createHmac('sha256', SECRET).update(canonicalJson(payload)).digest('hex').slice(0, 32);
    assert.equal(contentId(payload, SECRET), expected);
    assert.match(contentId(payload, SECRET), /^[0-9a-f]{32}$/);
  });

  test('does not depend on key order, does depend on content and on the key', () => {
    const reordered = { nested: { a: 1, b: 2 }, session_id: 's', hook_event_name: 'Stop' };
    assert.equal(contentId(reordered, SECRET), contentId(payload, SECRET));
    assert.notEqual(contentId({ ...payload, session_id: 't' }, SECRET), contentId(payload, SECRET));
    assert.notEqual(contentId(payload, 'another-token'), contentId(payload, SECRET));
  });

  test('refuses an empty secret', () => {
    assert.throws(() => contentId(payload, ''), /secret must not be empty/);
    assert.throws(() => contentId(payload, contentKey('')), /secret must not be empty/);
  });

  test('keyed by contentKey(secret) gives the id the secret itself gives', () => {
    assert.equal(contentId(payload, contentKey(SECRET)), contentId(payload, SECRET));
    assert.equal(contentId(payload, contentKey(Buffer.from(SECRET))), contentId(payload, SECRET));
    assert.notEqual(contentId(payload, contentKey('another-token')), contentId(payload, SECRET));
  });
});

describe('enrich', () => {
  test('builds the draft from the scrubbed payload; occurredAt is receivedAt unless the producer said', () => {
    const scrubbed = {
      hook_event_name: 'PreToolUse',
      session_id: 's-1',
      tool_name: 'Bash',
      cwd: '/w',
      agent_id: 'agent-7',
      password: '[REDACTED:key-name]',
    };
    const draft = enrich('the-id', scrubbed, { ...OPTIONS, source: 'socket' });
    assert.deepEqual(draft, {
      id: 'the-id',
      receivedAt: '2025-01-02T03:04:05.678Z',
      occurredAt: '2025-01-02T03:04:05.678Z',
      type: 'PreToolUse',
      sessionId: 's-1',
      agentId: 'agent-7',
      source: 'socket',
      tool: 'Bash',
      cwd: '/w',
      data: scrubbed,
    });
    const told = enrich('the-id', scrubbed, OPTIONS, {
      occurredAt: '2025-01-02T03:00:00.000Z',
      truncated: [{ path: '$.x', originalBytes: 9 }],
    });
    assert.equal(told.occurredAt, '2025-01-02T03:00:00.000Z');
    assert.deepEqual(told.truncated, [{ path: '$.x', originalBytes: 9 }]);
  });

  test('tool and cwd are null, agentId and truncated absent, when the payload has none', () => {
    const raw = { hook_event_name: 'Stop', session_id: 's' };
    const draft = enrich('id', raw, OPTIONS);
    assert.equal(draft.tool, null);
    assert.equal(draft.cwd, null);
    assert.ok(!('agentId' in draft) && !('truncated' in draft));
  });

  test('what producers say is checked: junk is ignored, times normalised', () => {
    assert.equal(readOccurredAt('2025-01-02T03:04:05+01:00'), '2025-01-02T02:04:05.000Z');
    for (const junk of ['yesterday', 17, '2025-13-45T99:99', 'x'.repeat(100)])
      assert.equal(readOccurredAt(junk), undefined);
    assert.deepEqual(readTruncated([{ path: '$.a', originalBytes: 5 }]), [{ path: '$.a', originalBytes: 5 }]);
    for (const junk of [
      [],
      [{ path: '$.a' }],
      [{ path: '', originalBytes: 1 }],
      'x',
      [{ path: '$', originalBytes: -1 }],
    ])
      assert.equal(readTruncated(junk), undefined);
  });
});

describe('processPayload', () => {
  const secretCommand = `export GITHUB_TOKEN=${'ghp' + '_abcdefghijklmnopqrstuvwxyz0123456789'}`;
  const raw = {
    hook_event_name: 'PreToolUse',
    session_id: 's-1',
    tool_name: 'Bash',
    cwd: '/w',
    tool_input: { command: secretCommand },
  };

  test('text, bytes and parsed values give the same draft, scrubbed, with an id over the scrubbed payload', () => {
    const fromValue = processPayload(raw, OPTIONS);
    const fromText = processPayload(JSON.stringify(raw), OPTIONS);
    const fromBytes = processPayload(Buffer.from(JSON.stringify(raw)), OPTIONS);
    assert.ok(fromValue.ok && fromText.ok && fromBytes.ok);
    assert.deepEqual(fromText, fromValue);
    assert.deepEqual(fromBytes, fromValue);
    assert.equal(fromValue.draft.id, contentId(fromValue.draft.data, SECRET));
    assert.notEqual(fromValue.draft.id, contentId(raw, SECRET));
    assert.equal(
      (fromValue.draft.data.tool_input as { command: string }).command,
      'export GITHUB_TOKEN=[REDACTED:github-token]',
    );
    assert.equal(fromValue.redactions, 1);
    assert.deepEqual(fromValue.kinds, { 'github-token': 1 });
    assert.ok(!JSON.stringify(fromValue.draft).includes('ghp_'));
  });

  test('does not modify the payload it was given', () => {
    const copy = structuredClone(raw);
    processPayload(copy, OPTIONS);
    assert.deepEqual(copy, raw);
  });

  test('the same content in another key order gets the same id; other content another one', () => {
    const { tool_input: toolInput, ...rest } = raw;
    const reordered = JSON.parse(JSON.stringify({ tool_input: toolInput, ...rest }));
    assert.notEqual(Object.keys(reordered)[0], Object.keys(raw)[0]);
    const a = processPayload(raw, OPTIONS);
    const b = processPayload(reordered, { ...OPTIONS, source: 'spool', now: () => NOW + 5000 });
    const c = processPayload({ ...raw, session_id: 's-2' }, OPTIONS);
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.draft.id, b.draft.id);
    assert.notEqual(a.draft.id, c.draft.id);
  });

  test('a scrubbed copy (the spool) and the raw payload are one event', () => {
    const live = processPayload(raw, OPTIONS);
    const spooled = processPayload(JSON.stringify(scrub(raw).value), { ...OPTIONS, source: 'spool' });
    assert.ok(live.ok && spooled.ok);
    assert.equal(spooled.draft.id, live.draft.id);
  });

  test('passes refusals through; over maxBytes is cut, over maxRequestBytes refused', () => {
    const refusal = processPayload('{"hook_event_name":', OPTIONS);
    assert.ok(!refusal.ok);
    assert.equal(refusal.error.code, 'invalid_json');
    const big = { ...raw, big: 'x'.repeat(10_000) };
    const cut = processPayload(big, { ...OPTIONS, limits: { maxBytes: 4096 } }, { truncated: [] });
    assert.ok(cut.ok);
    assert.ok(Buffer.byteLength(JSON.stringify(cut.draft)) <= 4096, String(JSON.stringify(cut.draft).length));
    assert.deepEqual(cut.draft.truncated, [{ path: '$.big', originalBytes: 10_000 }]);
    assert.equal(cut.draft.id, processPayload(big, OPTIONS).ok && contentId(scrub(big).value, SECRET));
    const tooLarge = processPayload(big, { ...OPTIONS, limits: { maxBytes: 4096, maxRequestBytes: 8192 } });
    assert.ok(!tooLarge.ok);
    assert.equal(tooLarge.error.code, 'too_large');
  });
});
