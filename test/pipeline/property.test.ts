import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { locateJsonError } from '../../source/pipeline/json-error.js';
import { scrub, scrubString, validateBody, validateEvent } from '../../source/pipeline/index.js';
import { REFUSAL_STATUS, type WireError } from '../../source/protocol/event.js';

const RUNS = 3000;
const CODES = new Set(Object.keys(REFUSAL_STATUS));

function assertWellFormedRefusal(error: WireError): void {
  assert.ok(CODES.has(error.code), `unknown code ${error.code}`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
}

/** Anything JSON-ish, including what JSON text can carry that a JS literal would not (e.g. __proto__). */
const anyJson = fc.jsonValue({ maxDepth: 6 });
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc
    .json({ maxDepth: 4 })
    .chain((json) =>
      fc
        .tuple(fc.nat(json.length), fc.nat(3), fc.string({ maxLength: 3 }))
        .map(([at, drop, insert]) => json.slice(0, at) + insert + json.slice(at + drop)),
    ),
);
const hookEvent = fc
  .tuple(
    fc.record({
      hook_event_name: fc.string({ minLength: 1, maxLength: 30 }),
      session_id: fc.string({ minLength: 1, maxLength: 30 }),
    }),
    fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 6 }),
  )
  .map(([fields, rest]) => ({ ...rest, ...fields }));

// Pieces of secret-shaped text, so that random strings actually meet the scrubber's rules.
const FRAGMENTS = [
  'ghp' + '_abcdefghijklmnopqrstuvwxyz0123456789',
  'sk-' + 'ant-api03-abcdefghijklmnop',
  'sk-' + 'abcdefghijklmnopqrstuvwxyz12',
  'AKIA' + 'ABCDEFGHIJKLMNOP',
  'xox' + 'b-1234567890-abcdefghij',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
  'Bearer ',
  'Basic ',
  'YWRtaW46cHc=',
  'Authorization: ',
  'token',
  'TOKEN',
  'password',
  'api_key',
  'secret',
  '=',
  ':',
  ': ',
  '"',
  "'",
  '\\"',
  '&',
  '&a=',
  '$',
  '*',
  '[REDACTED:jwt]',
  'https://',
  'u',
  ':p@',
  '@host',
  '--password ',
  'AIza' + 'SyD-EXAMPLEexampleEXAMPLEexample123',
  'glpat' + '-xYz12AbCdEfGhIjKlMnOp',
  'hf' + '_AbCdEfGhIjKlMnOpQrStUvWxYz01234567',
  'AccountKey=',
  ';',
  '-u ',
  'mysql ',
  '-p',
  'sshpass -p ',
  'set ',
  'DB_PASS=',
  '\\\n',
  '%3D',
  '%22',
  '%20',
  '%',
  '-----BEGIN ' + 'PRIVATE KEY-----',
  '-----END ' + 'PRIVATE KEY-----',
  'MIIE',
  '\n',
  ' ',
  '-',
  'x',
  '42',
];
const secretish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }).map((parts) => parts.join(''));

describe('properties', () => {
  test('any JSON value: validate never throws; accepted or refused with a known code and a message', () => {
    fc.assert(
      fc.property(fc.oneof(anyJson, hookEvent), (value) => {
        const result = validateEvent(value);
        if (!result.ok) assertWellFormedRefusal(result.error);
        else {
          const scrubbed = scrub(result.value);
          assert.deepEqual(scrub(scrubbed.value).value, scrubbed.value);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('any text: validate and validateBody never throw; refusals are well formed', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = validateEvent(text);
        if (!result.ok) assertWellFormedRefusal(result.error);
        const body = validateBody(Buffer.from(text));
        if (!body.ok) assertWellFormedRefusal(body.error);
        else for (const item of body.items) if (!item.ok) assertWellFormedRefusal(item.error);
      }),
      { numRuns: RUNS },
    );
  });

  test('scrub is idempotent on any string and on secret-shaped text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), secretish), (text) => {
        const once = scrubString(text);
        const twice = scrubString(once.value);
        assert.equal(twice.value, once.value);
        assert.equal(twice.redactions, 0);
      }),
      { numRuns: RUNS },
    );
  });

  test('a token standing on its own never survives scrubbing', () => {
    const tokens = FRAGMENTS.slice(0, 6);
    const separators = [' ', '\n', '\t', ', ', '"', "'", '(', ')'];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...separators),
            fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 8 })),
          ),
          { maxLength: 8 },
        ),
        fc.constantFrom(...tokens),
        (noise, token) => {
          const text = noise.map(([separator, word]) => separator + word).join('') + ' ' + token + ' ';
          const output = scrubString(text).value;
          for (const secret of tokens)
            assert.ok(!output.includes(secret), `${secret} survived in ${JSON.stringify(output)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('the JSON error locator agrees with JSON.parse on what is valid', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const location = locateJsonError(text);
        if (valid) assert.equal(location, undefined);
        else {
          assert.ok(location !== undefined, `no location for ${JSON.stringify(text)}`);
          assert.ok(location.position >= 0 && location.position <= text.length);
          assert.ok(location.line >= 1 && location.column >= 1);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
