// The daemon's listener and a client's `url` as settings (pure): never clear text beyond loopback
// unless tls.insecure, cert and key together, a URL the clients can use; and the light settings reader
// the hook uses speaks the same names as the schema.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLIENT_ENV, readClientSettings } from '../../source/client/client-settings.js';
import { parseDaemonUrl } from '../../source/config/daemon-url.js';
import { resolveConfig } from '../../source/config/resolve.js';
import { envName } from '../../source/config/schema.js';
import { insecureListenWarning } from '../../source/config/tls-settings.js';
import { ConfigError } from '../../source/errors/config-error.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = dirsRemovedAfter('mpm-mon-transport-');

function refusal(file: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): ConfigError | null {
  try {
    resolveConfig({ file, env, fileWhere: '/home/me/config.json' });
    return null;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

describe('the daemon transport settings', () => {
  test('a non-loopback host without cert and key is refused, naming host, the value and both ways out', () => {
    for (const host of ['192.0.2.1', '0.0.0.0', '::']) {
      const error = refusal({ host });
      assert.ok(error, host);
      assert.equal(error.context.key, 'host');
      assert.equal(error.context.value, host);
      assert.match(error.message, /tls\.cert and tls\.key/);
      assert.match(error.message, /tls\.insecure to true/);
    }
    const fromEnv = refusal({}, { MPM_MON_HOST: '192.0.2.1' });
    assert.match(fromEnv?.message ?? '', /from env MPM_MON_HOST/);
    assert.equal(refusal({ host: '127.0.0.1' }), null);
    assert.equal(refusal({ host: 'localhost' }), null);
  });

  test('tls.insecure lets the config through (with a warning to log and show); cert and key do so without one', () => {
    assert.equal(refusal({ host: '192.0.2.1', tls: { insecure: true } }), null);
    const tls = { cert: '', key: '', ca: '', insecure: true };
    assert.match(insecureListenWarning('192.0.2.1', tls) ?? '', /clear text/);
    assert.equal(insecureListenWarning('127.0.0.1', tls), null);
    assert.equal(refusal({ host: '192.0.2.1', tls: { cert: '/c.pem', key: '/k.pem' } }), null);
    assert.equal(insecureListenWarning('192.0.2.1', { ...tls, cert: '/c.pem', key: '/k.pem' }), null);
  });

  test('cert without key, or key without cert, names the one set and the one missing', () => {
    const error = refusal({ tls: { key: '/k.pem' } });
    assert.equal(error?.context.key, 'tls.key');
    assert.match(error?.message ?? '', /set tls\.cert too, or remove tls\.key/);
    assert.equal(refusal({ tls: { cert: '/c.pem' } })?.context.key, 'tls.cert');
  });

  test('url: https://host:port; http:// only to loopback unless tls.insecure; no path, no credentials', () => {
    assert.deepEqual(parseDaemonUrl('https://mon.example:8765'), {
      scheme: 'https',
      host: 'mon.example',
      port: 8765,
    });
    assert.deepEqual(parseDaemonUrl('https://[::1]:9'), { scheme: 'https', host: '::1', port: 9 });
    assert.deepEqual(parseDaemonUrl('https://mon.example'), {
      scheme: 'https',
      host: 'mon.example',
      port: 443,
    });
    assert.equal(refusal({ url: 'http://127.0.0.1:8765' }), null);
    const clear = refusal({ url: 'http://mon.example:8765' });
    assert.equal(clear?.context.key, 'url');
    assert.match(clear?.message ?? '', /https:\/\/mon\.example:8765/);
    assert.equal(refusal({ url: 'http://mon.example:8765', tls: { insecure: true } }), null);
    assert.match(refusal({ url: 'https://me:pw@mon.example:1' })?.message ?? '', /never in the URL/);
    assert.match(refusal({ url: 'https://mon.example:1/api' })?.message ?? '', /no path/);
    assert.match(refusal({ url: 'ftp://mon.example' })?.message ?? '', /https:\/\/host:port/);
  });

  test('the hook reads url, tokenFile and tls.* by the names the schema gives them, env over file', () => {
    for (const [key, name] of Object.entries(CLIENT_ENV)) assert.equal(name, envName(key));
    const home = dir();
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({ url: 'https://a.example:1', tokenFile: '/t', tls: { ca: '/ca.pem', insecure: true } }),
    );
    const fromFile = readClientSettings({ MPM_MON_HOME: home });
    assert.equal(fromFile.url, 'https://a.example:1');
    assert.equal(fromFile.tokenFile, '/t');
    assert.equal(fromFile.ca, '/ca.pem');
    assert.equal(fromFile.insecure, true);
    assert.deepEqual(fromFile.origin.url, { source: 'file', where: join(home, 'config.json') });
    const fromEnv = readClientSettings({ MPM_MON_HOME: home, MPM_MON_URL: 'https://b.example:2' });
    assert.equal(fromEnv.url, 'https://b.example:2');
    assert.deepEqual(fromEnv.origin.url, { source: 'env', where: 'MPM_MON_URL' });
  });
});
