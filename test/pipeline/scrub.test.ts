import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isSecretName, scrub, scrubString } from '../../source/pipeline/index.js';
import { SCRUB_CORPUS } from './scrub-corpus.js';

const FIXTURES = new URL('../../../shared/fixtures/claude-hooks/', import.meta.url);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('scrub corpus', () => {
  test('has at least 40 cases, with both secrets and negatives', () => {
    assert.ok(SCRUB_CORPUS.length >= 40, `only ${SCRUB_CORPUS.length} cases`);
    const negatives = SCRUB_CORPUS.filter((c) => c.input === c.expected).length;
    assert.ok(negatives >= 10, `only ${negatives} negative cases`);
    assert.ok(SCRUB_CORPUS.length - negatives >= 25);
  });

  for (const c of SCRUB_CORPUS) {
    test(c.name, () => {
      const result = scrubString(c.input);
      assert.equal(result.value, c.expected);
      const expectedRedactions = (c.expected.match(/\[REDACTED:[a-z-]+\]/g) ?? []).length;
      assert.equal(result.redactions, expectedRedactions);
      assert.equal(
        Object.values(result.kinds).reduce((sum, n) => sum + n, 0),
        expectedRedactions,
      );
      const again = scrubString(result.value);
      assert.equal(again.value, result.value, 'scrubbing twice changed the text');
      assert.equal(again.redactions, 0);
    });
  }
});

describe('scrub on hook payloads', () => {
  test('PreToolUse-secret.json: neither secret survives, the command stays readable', () => {
    const raw = JSON.parse(readFileSync(new URL('PreToolUse-secret.json', FIXTURES), 'utf8'));
    const result = scrub(raw);
    const text = JSON.stringify(result.value);
    assert.ok(!text.includes('ghp_R4nd0m'), text);
    assert.ok(!text.includes('sk-ant-api03-'), text);
    assert.ok(!text.includes('T0k3nV4lu3'), text);
    assert.ok(!text.includes('EXAMPLEEXAMPLE'), text);
    const command: string = result.value.tool_input.command;
    assert.match(
      command,
      /^curl -H 'Authorization: Bearer \[REDACTED:[a-z-]+\]' -H 'x-api-key: \[REDACTED:[a-z-]+\]'/,
    );
    assert.ok(command.endsWith(' https://api.example.com/v1/charges'));
    assert.equal(result.value.tool_input.description, 'Call the charges API');
    assert.equal(result.value.session_id, raw.session_id);
    assert.deepEqual(result.kinds, { 'github-token': 1, 'anthropic-key': 1 });
    assert.equal(result.redactions, 2);
  });

  test('payloads without secrets come back equal', () => {
    for (const name of [
      'PreToolUse.json',
      'PostToolUse.json',
      'SessionStart.json',
      'UserPromptSubmit.json',
    ]) {
      const raw = JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
      const result = scrub(raw);
      assert.deepEqual(result.value, raw, name);
      assert.equal(result.redactions, 0, name);
    }
  });

  test('never mutates its input and returns new objects', () => {
    const input = deepFreeze({
      tool_input: { command: 'export DB_PASSWORD=hunter2', env: ['TOKEN=abc123def'] },
      password: 'x',
    });
    const before = JSON.stringify(input);
    const result = scrub(input);
    assert.equal(JSON.stringify(input), before);
    assert.notEqual(result.value, input);
    assert.notEqual(result.value.tool_input, input.tool_input);
    assert.equal(result.value.tool_input.command, 'export DB_PASSWORD=[REDACTED:assignment]');
    assert.deepEqual(result.value.tool_input.env, ['TOKEN=[REDACTED:assignment]']);
  });
});

describe('object keys that name a secret', () => {
  test('string values are replaced wholesale', () => {
    const result = scrub({
      password: 'correct horse battery staple',
      apiKey: 'abc',
      Authorization: 'Bearer xyz',
      headers: { 'X-Api-Key': 'k-123', Accept: 'application/json' },
      client_secret: 'cs',
    });
    assert.deepEqual(result.value, {
      password: '[REDACTED:key-name]',
      apiKey: '[REDACTED:key-name]',
      Authorization: '[REDACTED:key-name]',
      headers: { 'X-Api-Key': '[REDACTED:key-name]', Accept: 'application/json' },
      client_secret: '[REDACTED:key-name]',
    });
    assert.deepEqual(result.kinds, { 'key-name': 5 });
  });

  test('arrays of strings under a secret key are replaced; so is everything in an object under it', () => {
    const result = scrub({ api_keys: ['k1', 'k2', ['k3']], credentials: { user: 'bob', password: 'pw' } });
    assert.deepEqual(result.value, {
      api_keys: ['[REDACTED:key-name]', '[REDACTED:key-name]', ['[REDACTED:key-name]']],
      credentials: { user: '[REDACTED:key-name]', password: '[REDACTED:key-name]' },
    });
  });

  test('every leaf under a secret name, whatever its type and depth, plural and compound names too', () => {
    const result = scrub({
      password: 123456789012345,
      auth: { pass: true, nested: [{ pin: 1234 }] },
      tokens: ['t1', 't2'],
      db_password: 'x',
      credentials: { user: 'bob', port: 5432, list: [1, 'two'] },
      DB_PASS: 'p',
      keep: null,
    });
    assert.deepEqual(result.value, {
      password: '[REDACTED:key-name]',
      auth: { pass: '[REDACTED:key-name]', nested: [{ pin: '[REDACTED:key-name]' }] },
      tokens: ['[REDACTED:key-name]', '[REDACTED:key-name]'],
      db_password: '[REDACTED:key-name]',
      credentials: {
        user: '[REDACTED:key-name]',
        port: '[REDACTED:key-name]',
        list: ['[REDACTED:key-name]', '[REDACTED:key-name]'],
      },
      DB_PASS: '[REDACTED:key-name]',
      keep: null,
    });
    assert.deepEqual(scrub(result.value).value, result.value);
  });

  test('innocent keys, numbers, booleans and values that hide nothing are kept', () => {
    const input = {
      max_tokens: 4096,
      input_tokens: 12,
      cache_read_input_tokens: 3,
      usage: { output_tokens: 7 },
      token_type: 'bearer',
      tokenizer: 'cl100k',
      author: 'Jane',
      password: '',
      token: '$GITHUB_TOKEN',
      secret: '[REDACTED:key-name]',
      pass: true,
      pwd: '/home/dev',
    };
    const result = scrub(input);
    assert.deepEqual(result.value, input);
    assert.equal(result.redactions, 0);
  });

  test('a key that is itself a secret is scrubbed like any string', () => {
    const key = 'ghp' + '_abcdefghijklmnopqrstuvwxyz0123456789';
    const result = scrub({ [key]: 1 });
    assert.deepEqual(result.value, { '[REDACTED:github-token]': 1 });
  });

  test('a __proto__ key stays plain data and never becomes the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}');
    const result = scrub(input) as { value: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(result.value), Object.prototype);
    assert.ok(Object.hasOwn(result.value, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('isSecretName splits words in any case style', () => {
    for (const name of [
      'GITHUB_TOKEN',
      'apiKey',
      'x-api-key',
      'AUTH',
      'x-auth-token',
      'Authorization',
      'PGPASSWORD',
      'privateKey',
      'db.passwd',
      'ClientSecret',
      'accessToken',
      'tokens',
      'auth.pass',
      'db_password',
      'DB_PASS',
      'credentials',
      'AccountKey',
    ]) {
      assert.ok(isSecretName(name), name);
    }
    for (const name of [
      'max_tokens',
      'tokenizer',
      'author',
      'PWD',
      'token_type',
      'password_file',
      'session_id',
      'hook_event_name',
      'keys',
      'input_tokens',
      'cache_creation_input_tokens',
      'pass',
      'aws_access_key_id',
      '',
    ]) {
      assert.ok(!isSecretName(name), name);
    }
  });
});

describe('scrub stays fast on adversarial input', () => {
  const SIZE = 200 * 1024;
  const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
  const adversarial: Record<string, string> = {
    letters: fill('a'),
    'word chars with dashes': fill('a-'),
    'eyJ runs': fill('eyJ'),
    'eyJ with dots': fill('eyJaaaaa.'),
    'token= repeated': fill('token='),
    'password quote without close': 'password="' + fill('x'),
    'escaped quotes': 'secret=\\"' + fill('\\a'),
    'BEGIN lines without END': fill('-----BEGIN RSA PRIVATE KEY-----\nAAAA'),
    'url prefixes': fill('https://a:'),
    'url passwords without host': fill('s://u:p@'),
    'url user:password repeated': fill('a://b:c@'),
    'header names repeated': fill('x-api-key: '),
    'Bearer repeated': fill('Bearer '),
    'Basic with long base64': 'Basic ' + fill('QUJD'),
    'sk- repeated': fill('sk-'),
    'AKIA repeated': fill('AKIA'),
    'assignments with ampersands': 'token=' + fill('a&'),
    'flags repeated': fill('--password '),
    'long name chars': fill('api_key_'),
  };
  for (const [name, text] of Object.entries(adversarial)) {
    test(`${name} (${text.length} chars) scrubs in under 2 s`, () => {
      const started = performance.now();
      const result = scrubString(text);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
      assert.equal(typeof result.value, 'string');
    });
  }
});
