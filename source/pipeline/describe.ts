/** Words for error messages: where in the payload, and what kind of value was found there. */
import { scrubString } from './scrub.js';

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_KEY_SHOWN = 40;

/**
 * `$`, `$.tool_input.command`, `$[3].session_id`, `$["odd key"]`: a JSONPath-like location. Keys are
 * producer data and refusals end up in logs and /diagnostics, so the path is scrubbed like any text.
 */
export function formatPath(segments: readonly PathSegment[], root = '$'): string {
  return scrubString(rawPath(segments, root)).value;
}

function rawPath(segments: readonly PathSegment[], root: string): string {
  let path = root;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (PLAIN_KEY.test(segment) && segment.length <= MAX_KEY_SHOWN) path += `.${segment}`;
    else {
      const shown = segment.length > MAX_KEY_SHOWN ? `${segment.slice(0, MAX_KEY_SHOWN)}…` : segment;
      path += `[${JSON.stringify(shown)}]`;
    }
  }
  return path;
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
