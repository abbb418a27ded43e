/**
 * The daemon's TLS identity, read once at start-up from `tls.cert` and `tls.key` (the key as a secret,
 * through the one setting-file reader): the certificate and key must parse as PEM and belong together,
 * or start-up stops with an error naming the key. What comes out: the secure context every connection
 * is wrapped with, the fingerprint the PID file records for local clients, and the certificate's names
 * (a Host header naming one of them is this daemon's own).
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { TlsSettings } from '../config/tls-settings.js';
import { ConfigError } from '../errors/config-error.js';
import { requireSettingFile, type SettingOrigin } from '../instance/required-file.js';
import type { TlsTrust } from '../client/tls-trust.js';

export interface TlsIdentity {
  context: SecureContext;
  /** SHA-256, as node prints it (AA:BB:…). */
  fingerprint256: string;
  /** DNS names and IP addresses of its subjectAltName. */
  names: string[];
  validTo: string;
  /** How clients on this machine, and the daemon's own probes, verify it: tls.ca (or the system's) and the pin. */
  trust: TlsTrust;
}

export function readTlsIdentity(tls: TlsSettings, originOf: SettingOrigin): TlsIdentity {
  const refuse = (key: string, value: string, expected: string): never => {
    throw new ConfigError({ key, value, expected, ...originOf(key) });
  };
  const certText = requireSettingFile('tls.cert', tls.cert, 'certificate', originOf);
  const keyText = requireSettingFile('tls.key', tls.key, 'private-key', originOf);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certText);
  } catch (error) {
    return refuse(
      'tls.cert',
      tls.cert,
      `a PEM certificate (-----BEGIN CERTIFICATE-----), the server's first, then its chain; it does not parse (${messageOf(error)})`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyText);
  } catch (error) {
    return refuse(
      'tls.key',
      tls.key,
      `an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----); it does not parse (${messageOf(error)})`,
    );
  }
  if (!cert.checkPrivateKey(key))
    refuse(
      'tls.key',
      tls.key,
      `the private key of the certificate in tls.cert (${tls.cert}); this key belongs to another certificate`,
    );
  const caText = tls.ca === '' ? undefined : requireSettingFile('tls.ca', tls.ca, 'certificate', originOf);
  // Local clients verify the chain as remote ones do: a certificate they could not verify is refused here.
  if (
    !chainVerifies(
      cert,
      pemBlocks(certText).slice(1),
      caText !== undefined ? pemBlocks(caText) : [...rootCertificates],
    )
  )
    refuse(
      tls.ca === '' ? 'tls.cert' : 'tls.ca',
      tls.ca === '' ? tls.cert : tls.ca,
      tls.ca === ''
        ? "a certificate signed by a CA this system trusts, or set tls.ca to the CA that signed it (for a self-signed certificate: tls.ca is the certificate itself); clients verify the daemon's certificate, on this machine too"
        : `the CA that signed tls.cert (${tls.cert}), as a PEM file; for a self-signed certificate, the certificate itself`,
    );
  let context: SecureContext;
  try {
    context = createSecureContext({ cert: certText, key: keyText });
  } catch (error) {
    return refuse('tls.cert', tls.cert, `a certificate node can serve (${messageOf(error)})`);
  }
  return {
    context,
    fingerprint256: cert.fingerprint256,
    names: subjectNames(cert),
    validTo: cert.validTo,
    trust: { ...(caText !== undefined ? { ca: caText } : {}), pin: cert.fingerprint256 },
  };
}

/** Every PEM certificate in a text (a bundle, or a certificate followed by its chain). */
function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Whether `leaf` leads to one of `anchors` through `intermediates` (signatures checked, at most 8 links). */
function chainVerifies(leaf: X509Certificate, intermediates: string[], anchors: string[]): boolean {
  const parse = (pem: string): X509Certificate | null => {
    try {
      return new X509Certificate(pem);
    } catch {
      return null;
    }
  };
  const trusted = anchors.map(parse).filter((cert): cert is X509Certificate => cert !== null);
  const chain = intermediates.map(parse).filter((cert): cert is X509Certificate => cert !== null);
  const issuedBy = (cert: X509Certificate, issuer: X509Certificate): boolean =>
    cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    const selfSigned = current.checkIssued(current);
    const isAnchor = (anchor: X509Certificate): boolean =>
      selfSigned ? anchor.fingerprint256 === current.fingerprint256 : issuedBy(current, anchor);
    if (trusted.some(isAnchor)) return true;
    const next = chain.find((candidate) => issuedBy(current, candidate));
    if (!next) return false;
    current = next;
  }
  return false;
}

/** `DNS:a, IP Address:1.2.3.4` → ['a', '1.2.3.4']. */
export function subjectNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry.trim())?.[1]?.trim())
    .filter((name): name is string => name !== undefined && name !== '');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
