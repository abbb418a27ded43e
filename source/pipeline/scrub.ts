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

/** `underSecretKey`: the value (or an array element) sits under a key such as `password`. */
function scrubValue(value: unknown, underSecretKey: boolean, tally: Tally): unknown {
  if (typeof value === 'string') {
    if (underSecretKey && !isInertValue(value)) {
      tally.found('key-name');
      return marker('key-name');
    }
    return scrubText(value, tally);
  }
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, underSecretKey, tally));
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    // Object.fromEntries defines own properties: a `__proto__` key stays data, never a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        scrubText(key, tally),
        scrubValue(item, isSecretName(key), tally),
      ]),
    );
  }
  return value;
}

function scrubText(text: string, tally: Tally): string {
  if (text.length < MIN_SECRET_LENGTH || !ANY_RULE_HINT.test(text)) return text;
  let out = text;
  for (const rule of SCRUB_RULES) {
    if (rule.hint.test(out)) out = rule.apply(out, tally.found);
  }
  return out;
}
