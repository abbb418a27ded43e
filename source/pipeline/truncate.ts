/**
 * Truncate: an event too big for `events.maxBytes` is cut to fit, never dropped. The largest string
 * fields are cut first, all to one common length (so a 1.4 MB `content` is cut and a short `command`
 * beside it is kept whole); only when strings alone cannot make it fit are the largest objects or
 * arrays replaced. Every cut is listed (`{path, originalBytes}`). Pure, no imports at run time: the
 * hook loads it (only for a payload over the limit) as well as the daemon.
 */
import type { TruncatedField } from '../protocol/event.js';
import { jsonPath, type PathSegment } from './json-path.js';

export interface TruncateResult {
  value: Record<string, unknown>;
  /** Empty when the value already fitted (then `value` is the input itself). */
  truncated: TruncatedField[];
}

/** The envelope's identifiers: bounded by validation and what every view keys on, never cut. */
const KEPT_KEYS: ReadonlySet<string> = new Set([
  'hook_event_name',
  'session_id',
  'tool_name',
  'tool_use_id',
  'agent_id',
  'cwd',
  'transcript_path',
]);
/** A cut string keeps at least this many bytes of its beginning. */
const MIN_KEPT_BYTES = 64;
/** What `truncated` costs per entry besides its path, in JSON bytes: `{"path":"","originalBytes":NNNNNNN},`. */
const ENTRY_OVERHEAD = 40;

/** What is left of `data` when the rest of the stored event (seq, ids, times, type, cwd…) is counted. */
export function dataBudget(maxBytes: number): number {
  return maxBytes - Math.min(4096, Math.floor(maxBytes / 16));
}

export function cutMarker(originalBytes: number): string {
  return `…[truncated from ${originalBytes} bytes]`;
}

/** Bytes of `JSON.stringify(text)` in UTF-8, without building it. */
export function encodedBytes(text: string): number {
  let bytes = 2;
  for (let index = 0; index < text.length; index++) bytes += charBytes(text, index);
  return bytes;
}

function charBytes(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 0x20) return code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 2 : 6;
  if (code === 0x22 || code === 0x5c) return 2;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    // A pair is 4 bytes, counted on its first half; a lone half is escaped as \uXXXX.
    return next >= 0xdc00 && next <= 0xdfff ? 4 : 6;
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = text.charCodeAt(index - 1);
    return previous >= 0xd800 && previous <= 0xdbff ? 0 : 6;
  }
  return 3;
}

/** The longest beginning of `text` whose JSON encoding (without quotes) fits `budget`, never half a pair. */
function prefixWithin(text: string, budget: number): string {
  let used = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const pair = code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(end + 1) & 0xfc00) === 0xdc00;
    const cost = pair ? 4 : charBytes(text, end);
    if (used + cost > budget) break;
    used += cost;
    end += pair ? 2 : 1;
  }
  return text.slice(0, end);
}

interface Leaf {
  path: PathSegment[];
  /** JSON bytes of the value. */
  bytes: number;
  value: unknown;
}

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : (code & 0xfc00) === 0xdc00 ? 1 : 3;
  }
  return bytes;
}

/**
 * Cuts `value` so that its JSON fits `maxBytes` bytes (UTF-8) with the `truncated` list beside it.
 * `knownBytes`: the JSON size, when the caller measured it already. Never mutates `value`.
 */
export function truncateToFit(
  value: Record<string, unknown>,
  maxBytes: number,
  knownBytes?: number,
): TruncateResult {
  const size = knownBytes ?? Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (size <= maxBytes) return { value, truncated: [] };
  const strings: Leaf[] = [];
  const containers: Leaf[] = [];
  collect(value, [], strings, containers);
  strings.sort((a, b) => b.bytes - a.bytes);

  let current = value;
  let cuts: TruncatedField[] = [];
  let excess = size - maxBytes;
  // Water-filling: one common level for the largest strings, lowered until they give back enough.
  for (let attempt = 0; attempt < 6; attempt++) {
    const level = fillLevel(strings, excess);
    const edits: Edit[] = [];
    cuts = [];
    for (const leaf of strings) {
      if (leaf.bytes <= level) break;
      const text = leaf.value as string;
      const originalBytes = utf8Bytes(text);
      const marker = cutMarker(originalBytes);
      const kept = prefixWithin(text, Math.max(MIN_KEPT_BYTES, level - encodedBytes(marker)));
      edits.push({ path: leaf.path, value: kept + marker });
      cuts.push({ path: jsonPath(leaf.path), originalBytes });
    }
    current = applyEdits(value, edits);
    const overshoot = measure(current, cuts) - maxBytes;
    if (overshoot <= 0) return { value: current, truncated: cuts };
    if (level <= MIN_KEPT_BYTES) break;
    excess += overshoot;
  }

  // Strings alone were not enough (many small values, big arrays of numbers): replace whole subtrees,
  // the largest first, measured again after each.
  for (let attempt = 0; attempt < 64 && measure(current, cuts) > maxBytes; attempt++) {
    const containers: Leaf[] = [];
    collect(current, [], [], containers);
    const largest = containers.sort((a, b) => b.bytes - a.bytes || a.path.length - b.path.length)[0];
    if (!largest) break;
    const path = jsonPath(largest.path);
    const originalBytes = Math.max(
      largest.bytes,
      ...cuts.filter((cut) => isUnder(cut.path, path)).map((cut) => cut.originalBytes),
    );
    current = applyEdits(current, [{ path: largest.path, value: cutMarker(originalBytes) }]);
    cuts = [...cuts.filter((cut) => !isUnder(cut.path, path)), { path, originalBytes }];
  }
  return { value: current, truncated: cuts };
}

type Edit = { path: PathSegment[]; value: unknown };

function isUnder(path: string, parent: string): boolean {
  return path.startsWith(parent) && /^[.[]/.test(path.slice(parent.length));
}

/** The JSON size of the event data plus its `truncated` list. */
function measure(value: unknown, cuts: readonly TruncatedField[]): number {
  return (
    Buffer.byteLength(JSON.stringify(value), 'utf8') +
    cuts.reduce((sum, cut) => sum + encodedBytes(cut.path) + ENTRY_OVERHEAD, 0)
  );
}

/** The level every string above it is cut to so that about `excess` more bytes are given back. */
function fillLevel(sorted: readonly Leaf[], excess: number): number {
  const perCut = 60;
  let sum = 0;
  for (let count = 1; count <= sorted.length; count++) {
    sum += sorted[count - 1]!.bytes;
    // Cutting the `count` largest to `level` frees sum - count*level, minus what each cut adds.
    const level = Math.floor((sum - excess - count * perCut) / count);
    const next = sorted[count]?.bytes ?? 0;
    if (level >= next && level >= MIN_KEPT_BYTES) return level;
  }
  return MIN_KEPT_BYTES;
}

function collect(node: unknown, path: PathSegment[], strings: Leaf[], containers: Leaf[]): number {
  if (typeof node === 'string') {
    const bytes = encodedBytes(node);
    if (!(path.length === 1 && KEPT_KEYS.has(path[0] as string)) && bytes > MIN_KEPT_BYTES * 2)
      strings.push({ path: [...path], bytes, value: node });
    return bytes;
  }
  if (Array.isArray(node)) {
    let bytes = 2 + Math.max(0, node.length - 1);
    node.forEach((item, index) => {
      path.push(index);
      bytes += collect(item, path, strings, containers);
      path.pop();
    });
    if (path.length > 0) containers.push({ path: [...path], bytes, value: node });
    return bytes;
  }
  if (typeof node === 'object' && node !== null) {
    const entries = Object.entries(node);
    let bytes = 2 + Math.max(0, entries.length - 1);
    for (const [key, item] of entries) {
      path.push(key);
      bytes += encodedBytes(key) + 1 + collect(item, path, strings, containers);
      path.pop();
    }
    if (path.length > 0 && !(path.length === 1 && KEPT_KEYS.has(path[0] as string)))
      containers.push({ path: [...path], bytes, value: node });
    return bytes;
  }
  return Buffer.byteLength(JSON.stringify(node) ?? 'null', 'utf8');
}

/** A copy of `root` with each path set to its new value; containers off those paths are shared. */
function applyEdits(root: Record<string, unknown>, edits: readonly Edit[]): Record<string, unknown> {
  if (edits.length === 0) return root;
  const copies = new Map<unknown, unknown>();
  const copyOf = (node: unknown): Record<string | number, unknown> => {
    let copy = copies.get(node);
    if (copy === undefined) {
      copy = Array.isArray(node) ? [...(node as unknown[])] : Object.assign(Object.create(null), node);
      copies.set(node, copy);
      copies.set(copy, copy);
    }
    return copy as Record<string | number, unknown>;
  };
  const top = copyOf(root);
  for (const edit of edits) {
    let parent = top;
    for (const segment of edit.path.slice(0, -1)) {
      const child = copyOf(parent[segment]);
      parent[segment] = child;
      parent = child;
    }
    parent[edit.path.at(-1)!] = edit.value;
  }
  return normalise(top, copies) as Record<string, unknown>;
}

/** Copies were made with a null prototype (a `__proto__` key stays data); give plain objects back. */
function normalise(node: unknown, copies: Map<unknown, unknown>): unknown {
  if (!copies.has(node) || Array.isArray(node)) {
    if (Array.isArray(node) && copies.has(node)) return node.map((item) => normalise(item, copies));
    return node;
  }
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>).map(([key, item]) => [key, normalise(item, copies)]),
  );
}
