/** Enrich: a validated, scrubbed payload → the EventDraft the store numbers and keeps. */
import { createHmac } from 'node:crypto';
import type { EventSource } from '../protocol/event.js';
import type { EventDraft } from '../store/types.js';
import { canonicalJson } from './canonical-json.js';

export const CONTENT_ID_LENGTH = 32;

/**
 * The stable content id duplicates share: HMAC-SHA256 over the canonical JSON of the RAW payload, hex,
 * first 32 characters. Keyed with a daemon secret so that the id of a payload that carried a secret
 * cannot be used to test guesses of that secret.
 */
export function contentId(rawPayload: unknown, secret: string | Uint8Array): string {
  if (secret.length === 0)
    throw new RangeError('contentId: the secret must not be empty (pass the daemon token)');
  return createHmac('sha256', secret)
    .update(canonicalJson(rawPayload))
    .digest('hex')
    .slice(0, CONTENT_ID_LENGTH);
}

export interface EnrichOptions {
  source: EventSource;
  /** Keys the content id (the daemon's token). */
  secret: string | Uint8Array;
  /** Milliseconds since the epoch; injected so tests control receivedAt. */
  now: () => number;
}

/**
 * `rawPayload` only feeds the id; every field that is stored is read from `scrubbed`, so a secret in any
 * of them (however unlikely in `cwd`) is already replaced.
 */
export function enrich(
  rawPayload: Record<string, unknown>,
  scrubbed: Record<string, unknown>,
  options: EnrichOptions,
): EventDraft {
  return {
    id: contentId(rawPayload, options.secret),
    receivedAt: new Date(options.now()).toISOString(),
    type: stringOr(scrubbed.hook_event_name, ''),
    sessionId: stringOr(scrubbed.session_id, ''),
    source: options.source,
    tool: stringOr(scrubbed.tool_name, null),
    cwd: stringOr(scrubbed.cwd, null),
    data: scrubbed,
  };
}

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}
