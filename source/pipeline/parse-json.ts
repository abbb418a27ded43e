/** Raw text (an HTTP body, a spooled line) → a parsed JSON value, refusing oversize and malformed input. */
import { locateJsonError } from './json-error.js';
import { accept, refuse, type Result } from './result.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function byteLengthOf(raw: string | Uint8Array): number {
  return typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
}

export const REQUEST_SIZE_ADVICE =
  'Send fewer or smaller events per request, or raise events.maxRequestBytes (events above events.maxBytes are cut to fit, not refused).';

/**
 * `what` names the input in messages ("event", "request body"); `advice` says what to do when it is
 * too large. The size is checked on the raw bytes, before anything is parsed.
 */
export function parseJsonText(
  raw: string | Uint8Array,
  maxBytes: number,
  what: string,
  advice = REQUEST_SIZE_ADVICE,
): Result<unknown> {
  const bytes = byteLengthOf(raw);
  if (bytes > maxBytes) return refuse('too_large', tooLargeMessage(what, bytes, maxBytes, advice));
  let text: string;
  if (typeof raw === 'string') text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  else {
    try {
      text = utf8.decode(raw);
    } catch {
      return refuse('invalid_json', `${what} is not valid UTF-8; expected JSON text encoded as UTF-8.`);
    }
  }
  try {
    return accept(JSON.parse(text) as unknown);
  } catch (error) {
    if (error instanceof RangeError) {
      return refuse(
        'too_deep',
        `${what} is nested too deeply to parse; expected at most a few dozen levels.`,
      );
    }
    return refuse('invalid_json', invalidJsonMessage(text, what));
  }
}

function invalidJsonMessage(text: string, what: string): string {
  if (text.trim() === '') return `${what} is empty; expected a JSON object.`;
  const where = locateJsonError(text);
  if (where === undefined) return `${what} is not valid JSON; expected a JSON object.`;
  return (
    `${what} is not valid JSON: ${where.problem} at position ${where.position} ` +
    `(line ${where.line}, column ${where.column}).`
  );
}

export function tooLargeMessage(what: string, bytes: number, maxBytes: number, advice: string): string {
  return `${what} is ${bytes} bytes; expected at most ${maxBytes} bytes. ${advice}`;
}
