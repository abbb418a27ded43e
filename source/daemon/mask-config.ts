import { isSecretName } from '../pipeline/secret-names.js';

/** A copy of a settings object with every value whose key names a secret replaced (for /diagnostics). */
export function maskConfig<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => maskConfig(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const masked: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value))
    masked[key] = isSecretName(key) ? '[masked]' : maskConfig(child);
  return masked as T;
}
