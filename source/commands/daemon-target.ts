/**
 * The commands' side of discover.ts: a setting the client cannot use becomes the ConfigError naming
 * it, and a TLS failure under an HTTP call becomes DaemonCertificateError.
 */
import { daemonUrl, discoverDaemon, type DaemonAddress, type DiscoverResult } from '../client/discover.js';
import { isTlsFailure } from '../client/tls-trust.js';
import { ConfigError } from '../errors/config-error.js';
import { DaemonCertificateError, DaemonUnreachableError } from '../errors/connection-errors.js';

/** The daemon discover.ts finds; null when none runs here; throws for a setting it cannot use. */
export function findDaemon(found: DiscoverResult = discoverDaemon()): DaemonAddress | null {
  if (found.ok) return found.daemon;
  if (found.setting) throw new ConfigError(found.setting);
  return null;
}

/** The daemon, or the error saying why there is none to talk to. */
export function requireDaemon(): DaemonAddress {
  const daemon = findDaemon();
  if (!daemon) throw new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 0 });
  return daemon;
}

/** `error` as the certificate error it is, or itself. */
export function explainTlsFailure(error: unknown, daemon: DaemonAddress): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (!isTlsFailure(code)) return error;
  return new DaemonCertificateError({
    url: daemonUrl(daemon),
    code: code!,
    detail: error instanceof Error ? error.message : undefined,
  });
}
