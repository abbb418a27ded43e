/** Words for error messages: where in the payload, and what kind of value was found there. */
import { jsonPath, type PathSegment } from './json-path.js';
import { scrubString } from './scrub.js';

export type { PathSegment } from './json-path.js';

/** Keys are producer data and refusals end up in logs and /diagnostics, so the path is scrubbed like any text. */
export function formatPath(segments: readonly PathSegment[], root = '$'): string {
  return scrubString(jsonPath(segments, root)).value;
}

/** "a string", "an array", "null", "a Buffer"… never the value itself (it may be a secret). */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length === 0 ? 'an empty string' : 'a string';
    case 'number':
      return Number.isFinite(value) ? 'a number' : `a non-finite number (${String(value)})`;
    case 'boolean':
      return 'a boolean';
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default: {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) return 'an object';
      if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 'binary data';
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof name === 'string' && name !== '' ? `a ${name} instance` : 'a non-plain object';
    }
  }
}
