/**
 * The structural walk every event goes through before anything else reads it: only JSON kinds, bounded
 * depth and size, and none of the keys that reach an object's prototype (`__proto__`, `constructor`,
 * `prototype`). It only reads; nothing is assigned through a refused key.
 */
import type { WireError } from '../protocol/event.js';
import { describeKind, formatPath, type PathSegment } from './describe.js';
import type { PayloadLimits } from './limits.js';

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type ShapeLimits = Pick<PayloadLimits, 'maxDepth' | 'maxEntries'>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Returns the first problem found, or undefined when `value` is plain, bounded JSON. */
export function checkJsonShape(value: unknown, limits: ShapeLimits, root = '$'): WireError | undefined {
  const path: PathSegment[] = [];
  let entries = 0;

  const visit = (node: unknown, depth: number): WireError | undefined => {
    if (node === null || typeof node === 'string' || typeof node === 'boolean') return undefined;
    if (typeof node === 'number') {
      return Number.isFinite(node) ? undefined : notJson(node);
    }
    const isArray = Array.isArray(node);
    if (!isArray && !isPlainObject(node)) return notJson(node);
    if (depth > limits.maxDepth) {
      return {
        code: 'too_deep',
        message:
          `${formatPath(path, root)}: nesting goes deeper than ${limits.maxDepth} levels; ` +
          `expected at most ${limits.maxDepth} nested objects/arrays.`,
      };
    }
    const keys = isArray ? undefined : Object.keys(node);
    const count = isArray ? (node as unknown[]).length : keys!.length;
    entries += count;
    if (entries > limits.maxEntries) {
      return {
        code: 'too_large',
        message:
          `${formatPath(path, root)}: the event holds more than ${limits.maxEntries} keys and array ` +
          `elements in all; expected at most ${limits.maxEntries}.`,
      };
    }
    if (isArray) {
      const array = node as unknown[];
      for (let index = 0; index < array.length; index++) {
        path.push(index);
        const problem = visit(array[index], depth + 1);
        path.pop();
        if (problem) return problem;
      }
      return undefined;
    }
    const object = node;
    for (const key of keys!) {
      path.push(key);
      if (FORBIDDEN_KEYS.has(key)) {
        const where = formatPath(path, root);
        path.pop();
        return {
          code: 'invalid_event',
          message: `${where}: the key "${key}" is not allowed (it could reach an object prototype); rename or remove it.`,
        };
      }
      const problem = visit(object[key], depth + 1);
      path.pop();
      if (problem) return problem;
    }
    return undefined;
  };

  const notJson = (node: unknown): WireError => ({
    code: 'invalid_event',
    message: `${formatPath(path, root)}: found ${describeKind(node)}; expected a JSON value (object, array, string, finite number, boolean or null).`,
  });

  return visit(value, 1);
}
