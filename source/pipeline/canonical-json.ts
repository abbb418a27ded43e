/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace, so that the same content gives
 * the same text whatever order its producer wrote the keys in. Like JSON.stringify, `undefined` and
 * functions inside objects are left out and become `null` in arrays. Built by concatenation (no
 * intermediate arrays): it runs for every event.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      out += `${index > 0 ? ',' : ''}${isSkipped(item) ? 'null' : canonicalJson(item)}`;
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (isSkipped(item)) continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `{${out}}`;
}

function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
