import type { JsonValue } from '../protocol/diagnostics.js';
import { isSecretName } from '../pipeline/secret-names.js';

/**
 * A JSON copy of a settings object with every value whose key names a secret replaced (for
 * /diagnostics). What JSON cannot hold (undefined, functions) is left out, as JSON.stringify would.
 */
export function maskConfig(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map((item: unknown) => maskConfig(item));
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return null;
  const masked: { [key: string]: JsonValue } = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined || typeof child === 'function') continue;
    masked[key] = isSecretName(key) ? '[masked]' : maskConfig(child);
  }
  return masked;
}
