// The header says where the TUI is attached, and that the connection is TLS when it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daemonAddressText } from '../../source/tui/format.js';

test('the attached address: host:port in clear text, the https URL when TLS is on, IPv6 in brackets', () => {
  assert.equal(daemonAddressText({ host: '127.0.0.1', port: 8765 }), '127.0.0.1:8765');
  assert.equal(daemonAddressText({ scheme: 'http', host: '127.0.0.1', port: 8765 }), '127.0.0.1:8765');
  assert.equal(
    daemonAddressText({ scheme: 'https', host: 'mon.example', port: 8765 }),
    'https://mon.example:8765',
  );
  assert.equal(daemonAddressText({ scheme: 'https', host: '::1', port: 9000 }), 'https://[::1]:9000');
});
