/**
 * How a client trusts a daemon that serves TLS. The chain always verifies (against `tls.ca`, else the
 * system's CAs), and then either the name in the URL is checked (a daemon on another machine), or —
 * for the daemon of this home, reached on loopback under whatever name its certificate has — the
 * certificate must be exactly the one its PID file records (SHA-256 pin). Import-free: the hook uses it.
 */
export interface TlsTrust {
  /** PEM of the CA(s) to verify with; undefined: the system's. */
  ca?: string;
  /** The certificate's SHA-256 fingerprint (as node prints it, AA:BB:…): checked instead of the name. */
  pin?: string;
}

/** The node:tls options that make it so (`host` is checked by node's default when there is no pin). */
export function tlsConnectOptions(trust: TlsTrust): {
  rejectUnauthorized: true;
  ca?: string;
  checkServerIdentity?: (host: string, cert: { fingerprint256: string }) => Error | undefined;
} {
  const { ca, pin } = trust;
  return {
    rejectUnauthorized: true,
    ...(ca !== undefined ? { ca } : {}),
    ...(pin !== undefined
      ? {
          checkServerIdentity: (_host: string, cert: { fingerprint256: string }) =>
            cert.fingerprint256 === pin
              ? undefined
              : Object.assign(
                  new Error(
                    `the certificate presented (SHA-256 ${cert.fingerprint256}) is not the one the daemon's PID file records (${pin})`,
                  ),
                  { code: 'ERR_MPM_MON_CERT_PIN' },
                ),
        }
      : {}),
  };
}

/** Error codes of a TLS connection that failed for trust (CA, name, pin, dates) or spoke to clear text. */
const TRUST_CODES = new Set([
  'ERR_MPM_MON_CERT_PIN',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export function isTlsFailure(code: string | undefined): boolean {
  return code !== undefined && TRUST_CODES.has(code);
}
