/**
 * Scrub: replace secrets before an event is stored or sent anywhere. Walks the whole value (keys and
 * strings), never mutates its input, and returns how many secrets it replaced, by kind.
 */
import { isSecretName } from './secret-names.js';
import { ANY_RULE_HINT, isInertValue, marker, SCRUB_RULES, type SecretKind } from './scrub-patterns.js';

export type { SecretKind } from './scrub-patterns.js';

export interface ScrubResult<T> {
  value: T;
  redactions: number;
  kinds: Partial<Record<SecretKind, number>>;
}

/** The shortest text any rule can match (`pwd=x`); shorter strings are returned untouched. */
const MIN_SECRET_LENGTH = 5;

class Tally {
  redactions = 0;
  readonly kinds: Partial<Record<SecretKind, number>> = {};
  readonly found = (kind: SecretKind): void => {
    this.redactions++;
    this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
  };
}

export function scrub<T>(value: T): ScrubResult<T> {
  const tally = new Tally();
  const scrubbed = scrubValue(value, false, tally) as T;
  return { value: scrubbed, redactions: tally.redactions, kinds: tally.kinds };
}

export function scrubString(text: string): ScrubResult<string> {
  return scrub(text);
}

/**
 * `underSecretKey`: the value sits, at any depth, under a key such as `password` or `credentials`:
 * then every leaf is replaced whatever its type (a number, a boolean, each string of an array, each
 * value of an object), because the name says what it is.
 */
function scrubValue(value: unknown, underSecretKey: boolean, tally: Tally): unknown {
  if (typeof value === 'string') {
    if (underSecretKey && !isInertValue(value)) {
      tally.found('key-name');
      return marker('key-name');
    }
    return scrubText(value, tally);
  }
  if (
    underSecretKey &&
    (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
  ) {
    tally.found('key-name');
    return marker('key-name');
  }
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, underSecretKey, tally));
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    // Object.fromEntries defines own properties: a `__proto__` key stays data, never a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        scrubText(key, tally),
        scrubValue(item, underSecretKey || isSecretName(key), tally),
      ]),
    );
  }
  return value;
}

// A shell line continuation (backslash, newline, indentation): a secret may run across it.
const CONTINUATION = /\\\r?\n[ \t]*/g;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * The text as the rules see it best: continuations joined and %XX escapes decoded. Kept instead of the
 * text as it is when it reveals at least as many secrets (a secret split by a continuation is then
 * redacted whole, an encoded one at all).
 */
function revealed(text: string): string {
  let out = text.includes('\\') ? text.replace(CONTINUATION, '') : text;
  if (PERCENT_ESCAPE.test(out)) out = out.replace(/(?:%[0-9A-Fa-f]{2})+/g, decodeRun);
  return out;
}

function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run;
  }
}

function scrubText(text: string, tally: Tally): string {
  if (text.length < MIN_SECRET_LENGTH) return text;
  if (revealed(text) === text) return ANY_RULE_HINT.test(text) ? applyRules(text, tally.found) : text;
  // Two views of one text can disagree; passes until neither finds more keep scrubbing idempotent.
  let out = text;
  for (let pass = 0; pass < 4; pass++) {
    const before = tally.redactions;
    out = scrubBothViews(out, tally);
    if (tally.redactions === before) break;
  }
  return out;
}

function scrubBothViews(text: string, tally: Tally): string {
  const view = revealed(text);
  const plain = new Tally();
  const asIs = applyRules(text, plain.found);
  const joined = new Tally();
  const asRevealed = ANY_RULE_HINT.test(view) ? applyRules(view, joined.found) : view;
  // Ties go to the revealed text: a secret that ran across a continuation is then redacted whole.
  const chosen = joined.redactions > 0 && joined.redactions >= plain.redactions ? joined : plain;
  for (const [kind, count] of Object.entries(chosen.kinds) as Array<[SecretKind, number]>)
    for (let index = 0; index < count; index++) tally.found(kind);
  return chosen === joined ? asRevealed : asIs;
}

function applyRules(text: string, found: (kind: SecretKind) => void): string {
  let out = text;
  for (const rule of SCRUB_RULES) {
    if (rule.hint.test(out)) out = rule.apply(out, found);
  }
  return out;
}
