/** Who may talk to the daemon: no browser Origin, a Host naming this daemon, the right token. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  allowedHosts,
  bearerToken,
  checkHost,
  checkOrigin,
  checkToken,
} from '../../source/daemon/request-guard.js';

const TOKEN = 'ef'.repeat(32);

describe('allowedHosts', () => {
  test('loopback names and the configured host, each with the port, lower case', () => {
    assert.deepEqual(
      [...allowedHosts('My-Box.local', 8765)].sort(),
      ['127.0.0.1:8765', '[::1]:8765', 'localhost:8765', 'my-box.local:8765'].sort(),
    );
  });

  test('an IPv6 host is bracketed once', () => {
    assert.ok(allowedHosts('::1', 9).has('[::1]:9'));
    assert.ok(allowedHosts('fd00::2', 9).has('[fd00::2]:9'));
    assert.ok(allowedHosts('[fd00::2]', 9).has('[fd00::2]:9'));
  });
});

describe('checkOrigin', () => {
  test('no Origin (a local program) passes; any Origin is a browser and is refused', () => {
    assert.equal(checkOrigin({}), null);
    assert.equal(checkOrigin({ origin: '' }), null);
    const refused = checkOrigin({ origin: 'https://evil.example' });
    assert.equal(refused?.code, 'forbidden_origin');
    assert.match(refused?.message ?? '', /evil\.example/);
  });

  test('a huge Origin is cut in the message', () => {
    const refused = checkOrigin({ origin: `https://${'a'.repeat(5000)}` });
    assert.ok((refused?.message.length ?? 0) < 300);
  });
});

describe('checkHost', () => {
  const allowed = allowedHosts('127.0.0.1', 8765);

  test('a Host naming this daemon passes, in any case', () => {
    assert.equal(checkHost('127.0.0.1:8765', allowed), null);
    assert.equal(checkHost('LOCALHOST:8765', allowed), null);
  });

  test('another name, another port or no Host is refused, naming what is expected (DNS rebinding)', () => {
    for (const host of ['attacker.example:8765', '127.0.0.1:8766', '127.0.0.1', undefined]) {
      const refused = checkHost(host, allowed);
      assert.equal(refused?.code, 'forbidden_host', String(host));
      assert.match(refused?.message ?? '', /expected one of .*127\.0\.0\.1:8765/);
    }
    assert.match(checkHost(undefined, allowed)?.message ?? '', /\(missing\)/);
  });
});

describe('bearerToken', () => {
  test('reads the token of a Bearer header, case-insensitive scheme, trailing space allowed', () => {
    assert.equal(bearerToken(`Bearer ${TOKEN}`), TOKEN);
    assert.equal(bearerToken(`bearer ${TOKEN}  `), TOKEN);
  });

  test('anything else has no token', () => {
    for (const header of [undefined, '', 'Bearer', `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`])
      assert.equal(bearerToken(header), undefined, String(header));
  });
});

describe('checkToken', () => {
  test('the right token passes', () => {
    assert.equal(checkToken(TOKEN, TOKEN), null);
  });

  test('missing and wrong tokens are refused with different advice, never echoing the token', () => {
    const missing = checkToken(undefined, TOKEN);
    const wrong = checkToken('nope', TOKEN);
    assert.equal(missing?.code, 'unauthorized');
    assert.equal(wrong?.code, 'unauthorized');
    assert.match(missing?.message ?? '', /missing token/);
    assert.match(wrong?.message ?? '', /wrong token/);
    for (const refusal of [missing, wrong, checkToken(TOKEN.slice(1), TOKEN), checkToken(42, TOKEN)]) {
      assert.equal(refusal?.code, 'unauthorized');
      assert.ok(!refusal?.message.includes(TOKEN));
    }
  });
});
