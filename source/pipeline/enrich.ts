/** Enrich: a validated, scrubbed (and cut) payload → the EventDraft the store numbers and keeps. */
import { createHmac, createSecretKey, KeyObject } from 'node:crypto';
import type { EventSource, TruncatedField } from '../protocol/event.js';
import type { EventDraft } from '../store/types.js';
import { canonicalJson } from './canonical-json.js';

export const CONTENT_ID_LENGTH = 32;

/**
 * The stable content id duplicates share: HMAC-SHA256 over the canonical JSON of the SCRUBBED payload,
 * hex, first 32 characters. Scrubbed, because the hook spools scrubbed copies: a spooled copy and a late
 * live copy of one payload get one id. Keyed with a daemon secret so that an id cannot be used to test
 * guesses of what the payload held.
 */
export function contentId(scrubbedPayload: unknown, secret: ContentKey): string {
  return contentIdOf(canonicalJson(scrubbedPayload), secret);
}

/** contentId for a scrubbed payload whose canonical JSON is already at hand. */
export function contentIdOf(canonical: string, secret: ContentKey): string {
  const size = secret instanceof KeyObject ? (secret.symmetricKeySize ?? 0) : secret.length;
  if (size === 0) throw new RangeError('contentId: the secret must not be empty (pass the daemon token)');
  return createHmac('sha256', secret).update(canonical).digest('hex').slice(0, CONTENT_ID_LENGTH);
}

/** What keys the content id: the secret as given, or as a KeyObject made once (`contentKey`). */
export type ContentKey = string | Uint8Array | KeyObject;

/**
 * The secret imported once as a key, so that each event's HMAC does not convert it again; the same
 * HMAC as the string (its UTF-8 bytes). An empty secret stays as it is, to be refused by contentId.
 */
export function contentKey(secret: string | Uint8Array): ContentKey {
  if (secret.length === 0) return secret;
  return createSecretKey(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret);
}

export interface EnrichOptions {
  source: EventSource;
  /** Keys the content id (the daemon's token). */
  secret: ContentKey;
  /** Milliseconds since the epoch; injected so tests control receivedAt. */
  now: () => number;
}

/**
 * What the producer says besides the payload (the hook's headers, a spool file), as it said it:
 * checked by readOccurredAt and readTruncated, ignored when it is not what it should be.
 */
export interface Provenance {
  /** When the hook read the payload (ISO-8601). */
  occurredAt?: unknown;
  /** What the hook cut before sending (`[{path, originalBytes}]`). */
  truncated?: unknown;
}

/** Every stored field is read from `data` (scrubbed), so a secret in any of them is already replaced. */
export function enrich(
  id: string,
  data: Record<string, unknown>,
  options: Pick<EnrichOptions, 'source' | 'now'>,
  provenance: { occurredAt?: string; truncated?: readonly TruncatedField[] } = {},
): EventDraft {
  const receivedAt = new Date(options.now()).toISOString();
  const agentId = stringOr(data.agent_id, undefined);
  return {
    id,
    receivedAt,
    occurredAt: provenance.occurredAt ?? receivedAt,
    type: stringOr(data.hook_event_name, ''),
    sessionId: stringOr(data.session_id, ''),
    ...(agentId === undefined ? {} : { agentId }),
    source: options.source,
    tool: stringOr(data.tool_name, null),
    cwd: stringOr(data.cwd, null),
    data,
    ...(provenance.truncated && provenance.truncated.length > 0
      ? { truncated: [...provenance.truncated] }
      : {}),
  };
}

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

/** An ISO-8601 time from a producer, normalised; undefined when it is not one (then receivedAt is used). */
export function readOccurredAt(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 40 || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const MAX_DECLARED_CUTS = 1000;

/** A producer's list of cuts (`[{path, originalBytes}]`), or undefined when it is not one. */
export function readTruncated(value: unknown): TruncatedField[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_DECLARED_CUTS) return undefined;
  const cuts: TruncatedField[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { path, originalBytes } = item as { path?: unknown; originalBytes?: unknown };
    if (typeof path !== 'string' || path.length === 0 || path.length > 1000) return undefined;
    if (typeof originalBytes !== 'number' || !Number.isSafeInteger(originalBytes) || originalBytes < 0)
      return undefined;
    cuts.push({ path, originalBytes });
  }
  return cuts;
}

/** The producer's cuts and the daemon's, one entry per path (the producer saw the larger original). */
export function mergeCuts(
  first: readonly TruncatedField[] | undefined,
  second: readonly TruncatedField[],
): TruncatedField[] {
  const byPath = new Map<string, TruncatedField>();
  for (const cut of [...(first ?? []), ...second]) if (!byPath.has(cut.path)) byPath.set(cut.path, cut);
  return [...byPath.values()];
}
