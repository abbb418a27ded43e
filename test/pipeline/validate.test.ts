import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  validateBody,
  validateEvent,
  validateEventText,
  validateEventValue,
} from '../../source/pipeline/index.js';
import type { RefusalCode, WireError } from '../../source/protocol/event.js';

const BASE = { hook_event_name: 'PreToolUse', session_id: 's-1', tool_name: 'Bash', cwd: '/home/dev/shop' };

function refused(result: { ok: true } | { ok: false; error: WireError }, code: RefusalCode): string {
  assert.equal(result.ok, false, 'expected a refusal');
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.error.code, code, result.error.message);
  assert.ok(result.error.message.length > 0);
  return result.error.message;
}

function nested(depth: number): Record<string, unknown> {
  // depth 1 is the event object itself
  let inner: Record<string, unknown> = {};
  for (let level = 2; level < depth; level++) inner = { a: inner };
  return depth === 1 ? { ...BASE } : { ...BASE, a: inner };
}

describe('validate: accepted input', () => {
  test('a parsed value, JSON text and UTF-8 bytes all give the same payload', () => {
    const text = JSON.stringify(BASE);
    for (const input of [BASE, text, Buffer.from(text), new TextEncoder().encode(text)]) {
      const result = validateEvent(input);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.value, BASE);
    }
  });

  test('a leading byte-order mark is ignored', () => {
    assert.ok(validateEventText('\uFEFF' + JSON.stringify(BASE)).ok);
    assert.ok(
      validateEventText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(BASE))]))
        .ok,
    );
  });

  test('tool_name and cwd may be absent or null; unknown hook names are allowed', () => {
    assert.ok(validateEventValue({ hook_event_name: 'FutureHook', session_id: 'x' }).ok);
    assert.ok(validateEventValue({ ...BASE, tool_name: null, cwd: null }).ok);
  });

  test('exactly at the limits is accepted', () => {
    assert.ok(validateEventValue(nested(32)).ok);
    const text = JSON.stringify({ ...BASE, pad: '' });
    const padded = JSON.stringify({ ...BASE, pad: 'x'.repeat(2048 - Buffer.byteLength(text)) });
    assert.equal(Buffer.byteLength(padded), 2048);
    assert.ok(validateEventText(padded, { maxBytes: 2048 }).ok);
    assert.ok(validateEventValue(JSON.parse(padded), { maxBytes: 2048 }).ok);
    assert.ok(validateEventValue({ ...BASE, session_id: 's'.repeat(200) }).ok);
  });
});

describe('validate: invalid_json', () => {
  test('names the position, line and column, and never echoes the input', () => {
    const secret = 'ghp' + '_abcdefghijklmnopqrstuvwxyz0123456789';
    const message = refused(validateEventText(`{\n  "token": "${secret}",\n  "x": }`), 'invalid_json');
    assert.match(message, /position \d+ \(line 3, column 8\)/);
    assert.match(message, /unexpected character "}"; expected a JSON value/);
    assert.ok(!message.includes(secret));
  });

  test('truncated, empty, trailing garbage and bad bytes', () => {
    assert.match(refused(validateEventText('{"a": 1'), 'invalid_json'), /unexpected end of input/);
    assert.match(refused(validateEventText('   '), 'invalid_json'), /empty/);
    assert.match(
      refused(validateEventText('{} {}'), 'invalid_json'),
      /nothing after the JSON value.*position 3/,
    );
    assert.match(refused(validateEventText(Buffer.from([0x7b, 0xff, 0x7d])), 'invalid_json'), /UTF-8/);
  });
});

describe('validate: invalid_event', () => {
  test('the event must be a JSON object', () => {
    for (const [value, kind] of [
      [[BASE], 'an array'],
      [null, 'null'],
      ['PreToolUse', 'a string'],
      [42, 'a number'],
    ] as const) {
      const message = refused(validateEventValue(value), 'invalid_event');
      assert.ok(message.startsWith(`$: found ${kind}; expected a JSON object`), message);
    }
    assert.match(refused(validateEventText('[1]'), 'invalid_event'), /found an array/);
  });

  test('hook_event_name and session_id: missing, wrong kind, empty, too long, control characters', () => {
    for (const key of ['hook_event_name', 'session_id'] as const) {
      const { [key]: _dropped, ...without } = BASE;
      assert.match(
        refused(validateEventValue(without), 'invalid_event'),
        new RegExp(`^\\$\\.${key}: missing; expected a non-empty string`),
      );
      assert.match(
        refused(validateEventValue({ ...BASE, [key]: 7 }), 'invalid_event'),
        new RegExp(`\\$\\.${key}: found a number`),
      );
      assert.match(
        refused(validateEventValue({ ...BASE, [key]: '' }), 'invalid_event'),
        /found an empty string/,
      );
      assert.match(
        refused(validateEventValue({ ...BASE, [key]: 'x'.repeat(201) }), 'invalid_event'),
        /201 characters; expected at most 200/,
      );
      assert.match(
        refused(validateEventValue({ ...BASE, [key]: 'a\u001b[2Jb' }), 'invalid_event'),
        /control characters/,
      );
    }
  });

  test('tool_name and cwd, when present, are strings', () => {
    assert.match(
      refused(validateEventValue({ ...BASE, tool_name: ['Bash'] }), 'invalid_event'),
      /\$\.tool_name: found an array/,
    );
    assert.match(
      refused(validateEventValue({ ...BASE, cwd: 1 }), 'invalid_event'),
      /\$\.cwd: found a number/,
    );
    assert.match(
      refused(validateEventValue({ ...BASE, cwd: '/'.repeat(4097) }), 'invalid_event'),
      /at most 4096/,
    );
  });

  test('values that are not JSON are refused with their place', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...BASE, data: Buffer.from('x') }, /\$\.data: found binary data/],
      [{ ...BASE, when: new Date(0) }, /\$\.when: found a Date instance/],
      [{ ...BASE, list: [1, undefined] }, /\$\.list\[1\]: found undefined/],
      [{ ...BASE, f: () => 1 }, /\$\.f: found a function/],
      [{ ...BASE, n: Number.NaN }, /\$\.n: found a non-finite number \(NaN\)/],
      [{ ...BASE, big: 1n }, /\$\.big: found a bigint/],
      [{ ...BASE, 'odd key': { x: Infinity } }, /\$\["odd key"\]\.x: found a non-finite number/],
    ];
    for (const [value, pattern] of cases)
      assert.match(refused(validateEventValue(value), 'invalid_event'), pattern);
  });

  test('prototype keys are refused anywhere, with their path, and pollute nothing', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const text = `{"hook_event_name":"X","session_id":"s","tool_input":{"list":[{"${key}":{"polluted":true}}]}}`;
      const message = refused(validateEventText(text), 'invalid_event');
      assert.ok(message.startsWith(`$.tool_input.list[0].${key}: the key "${key}" is not allowed`), message);
      const value = JSON.parse(text);
      refused(validateEventValue(value), 'invalid_event');
      refused(validateEventValue(Object.assign(Object.create(null), BASE, { [key]: 1 })), 'invalid_event');
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a secret used as a key is not repeated in the message', () => {
    const token = 'ghp' + '_abcdefghijklmnopqrstuvwxyz0123456789';
    const message = refused(validateEventValue({ ...BASE, [token]: { n: Number.NaN } }), 'invalid_event');
    assert.ok(message.startsWith('$.[REDACTED:github-token].n: found a non-finite number'), message);
  });
});

describe('validate: too_large and too_deep', () => {
  test('raw text over maxRequestBytes is refused before parsing, counting UTF-8 bytes', () => {
    const text = JSON.stringify({ ...BASE, prompt: 'é'.repeat(600) });
    assert.ok(text.length < 1100 && Buffer.byteLength(text) > 1100);
    const message = refused(validateEventText(text, { maxRequestBytes: 1100 }), 'too_large');
    assert.match(
      message,
      new RegExp(`event is ${Buffer.byteLength(text)} bytes; expected at most 1100 bytes`),
    );
    assert.match(message, /events\.maxRequestBytes/);
    refused(validateEventText('{' + ' '.repeat(5000), { maxRequestBytes: 1100 }), 'too_large');
  });

  test('over maxBytes is not a refusal: the event is cut to fit later', () => {
    assert.ok(
      validateEventText(JSON.stringify({ ...BASE, prompt: 'x'.repeat(3000) }), { maxBytes: 1100 }).ok,
    );
    assert.ok(validateEventValue({ ...BASE, prompt: 'x'.repeat(3000) }, { maxBytes: 1100 }).ok);
  });

  test('any event name is accepted: a newer Claude Code is never refused', () => {
    for (const name of ['PostToolUseFailure', 'StopFailure', 'SomethingNew2031'])
      assert.ok(validateEventValue({ ...BASE, hook_event_name: name }).ok, name);
  });

  test('nesting deeper than maxDepth names the path', () => {
    const message = refused(validateEventValue(nested(33)), 'too_deep');
    assert.match(message, /^\$\.a(\.a){31}: nesting goes deeper than 32 levels/);
    refused(validateEventValue(nested(5), { maxDepth: 4 }), 'too_deep');
  });

  test('very deep text and cyclic values are refused, not thrown', () => {
    const deep =
      '{"hook_event_name":"X","session_id":"s","a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    refused(validateEventText(deep, { maxBytes: 1_000_000 }), 'too_deep');
    const cyclic: Record<string, unknown> = { ...BASE };
    cyclic.self = cyclic;
    refused(validateEventValue(cyclic), 'too_deep');
  });

  test('too many keys and array elements overall', () => {
    const wide = {
      ...BASE,
      a: Array.from({ length: 60 }, () => 0),
      b: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])),
    };
    const message = refused(validateEventValue(wide, { maxEntries: 100 }), 'too_large');
    assert.match(message, /more than 100 keys and array elements/);
    assert.ok(validateEventValue(wide, { maxEntries: 200 }).ok);
  });

  test('limits that are not positive integers are a programming error', () => {
    assert.throws(() => validateEventValue(BASE, { maxDepth: 0 }), /maxDepth must be a positive integer/);
  });
});

describe('validateBody: one event or an array', () => {
  test('one object gives one item, not an array', () => {
    const body = validateBody(Buffer.from(JSON.stringify(BASE)));
    assert.ok(body.ok);
    assert.equal(body.array, false);
    assert.equal(body.items.length, 1);
    assert.ok(body.items[0]!.ok);
  });

  test('an array is judged item by item, with the item index in each message', () => {
    const body = validateBody(
      JSON.stringify([BASE, { session_id: 's' }, 'x', { ...BASE, hook_event_name: 'Stop' }]),
    );
    assert.ok(body.ok);
    assert.equal(body.array, true);
    assert.deepEqual(
      body.items.map((item) => item.ok),
      [true, false, false, true],
    );
    assert.match(refused(body.items[1]!, 'invalid_event'), /^\$\[1\]\.hook_event_name: missing/);
    assert.match(refused(body.items[2]!, 'invalid_event'), /^\$\[2\]: found a string/);
  });

  test('an empty array is accepted with no items', () => {
    const body = validateBody('[]');
    assert.ok(body.ok);
    assert.deepEqual(body.items, []);
  });

  test('whole-body refusals: bad JSON, too many events, too many bytes', () => {
    refused(validateBody('[{"a":'), 'invalid_json');
    const tooMany = JSON.stringify(Array.from({ length: 11 }, () => BASE));
    assert.match(
      refused(validateBody(tooMany, { maxBatchLength: 10 }), 'too_large'),
      /array of 11 events; expected at most 10/,
    );
    assert.match(
      refused(validateBody(tooMany, { maxRequestBytes: 100 }), 'too_large'),
      /request body is \d+ bytes; expected at most 100/,
    );
  });

  test('items over maxBytes are accepted (cut later); the whole body is held to maxRequestBytes', () => {
    const big = { ...BASE, prompt: 'x'.repeat(3000) };
    const body = validateBody(JSON.stringify([BASE, big]), { maxBytes: 2048 });
    assert.ok(body.ok);
    assert.ok(body.items[0]!.ok && body.items[1]!.ok);
    refused(validateBody(JSON.stringify(big), { maxBytes: 2048, maxRequestBytes: 2048 }), 'too_large');
  });
});
