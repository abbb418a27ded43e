/**
 * Throwaway certificates for a test, made with openssl in a folder of the test: a CA, a server
 * certificate for 127.0.0.1/localhost signed by it, one for another name only (mon.example, as a daemon
 * on another machine would have), a client certificate signed by it, and a second CA
 * that signed nothing here (to prove verification refuses what it did not sign). Keys are mode 0600.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  ca: string;
  otherCa: string;
  serverCert: string;
  serverKey: string;
  /** Signed by `ca` for mon.example only: not valid for 127.0.0.1 by name. */
  elsewhereCert: string;
  elsewhereKey: string;
  clientCert: string;
  clientKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSigned(dir: string, name: string): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=mpm-mon test ${name}`,
  ]); // prettier-ignore
  chmodSync(join(dir, `${name}.key`), 0o600);
}

function signed(dir: string, name: string, extensions: string): void {
  openssl(dir, [
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`,
  ]); // prettier-ignore
  chmodSync(join(dir, `${name}.key`), 0o600);
  writeFileSync(join(dir, `${name}.ext`), `${extensions}\n`);
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`,
  ]); // prettier-ignore
}

/** Writes the certificates into `dir` (a temp folder the test removes). */
export function makeCertificates(dir: string): TestCertificates {
  selfSigned(dir, 'ca');
  selfSigned(dir, 'other-ca');
  signed(dir, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  signed(dir, 'elsewhere', 'subjectAltName=DNS:mon.example');
  signed(dir, 'client', 'extendedKeyUsage=clientAuth');
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    elsewhereCert: join(dir, 'elsewhere.pem'),
    elsewhereKey: join(dir, 'elsewhere.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
  };
}
