// How a client trusts a TLS daemon, against a real TLS server with certificates the test makes: the
// chain always verifies; a pin replaces the name check (127.0.0.1 for a certificate of another name),
// and a certificate other than the pinned one is refused before anything is written.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { tlsConnectOptions, type TlsTrust } from '../../source/client/tls-trust.js';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';

const dir = dirsRemovedAfter('mpm-mon-trust-');
let certs: TestCertificates;
let server: Server;
let port = 0;

before(async () => {
  certs = makeCertificates(dir());
  // A certificate for mon.example only, served on 127.0.0.1 as the daemon of this machine would.
  server = createServer(
    { cert: readFileSync(certs.elsewhereCert), key: readFileSync(certs.elsewhereKey) },
    (socket) => socket.end('hello'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(() => server.close());

function handshake(trust: TlsTrust): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ...tlsConnectOptions(trust) }, () => {
      socket.destroy();
      resolve('ok');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('tlsConnectOptions', () => {
  test('the pinned certificate is accepted on an address that is not among its names', async () => {
    const pin = new X509Certificate(readFileSync(certs.elsewhereCert)).fingerprint256;
    assert.equal(await handshake({ ca: readFileSync(certs.ca, 'utf8'), pin }), 'ok');
  });

  test('without a pin the name is checked; another pin, another CA or no CA refuse', async () => {
    const ca = readFileSync(certs.ca, 'utf8');
    assert.equal(await handshake({ ca }), 'ERR_TLS_CERT_ALTNAME_INVALID');
    const otherPin = new X509Certificate(readFileSync(certs.serverCert)).fingerprint256;
    assert.equal(await handshake({ ca, pin: otherPin }), 'ERR_MPM_MON_CERT_PIN');
    const pin = new X509Certificate(readFileSync(certs.elsewhereCert)).fingerprint256;
    assert.equal(
      await handshake({ ca: readFileSync(certs.otherCa, 'utf8'), pin }),
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    assert.equal(await handshake({ pin }), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
