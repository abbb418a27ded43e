/** One raw payload through validate → scrub → content id → truncate → enrich: what the daemon calls for every event. */
import type { WireError } from '../protocol/event.js';
import type { EventDraft } from '../store/types.js';
import {
  contentIdOf,
  enrich,
  mergeCuts,
  readOccurredAt,
  readTruncated,
  type EnrichOptions,
  type Provenance,
} from './enrich.js';
import { canonicalJson } from './canonical-json.js';
import { resolveLimits, type PayloadLimits } from './limits.js';
import { tooLargeMessage, REQUEST_SIZE_ADVICE } from './parse-json.js';
import { refuse } from './result.js';
import { scrub, scrubString, type ScrubResult } from './scrub.js';
import { dataBudget, truncateToFit } from './truncate.js';
import { validateEvent, type HookPayload } from './validate.js';

export interface ProcessOptions extends EnrichOptions {
  limits?: Partial<PayloadLimits>;
}

export type ProcessResult =
  | { ok: true; draft: EventDraft; redactions: number; kinds: ScrubResult<unknown>['kinds'] }
  | { ok: false; error: WireError };

/** `input`: raw JSON text (string or bytes) or an already-parsed value. */
export function processPayload(
  input: unknown,
  options: ProcessOptions,
  provenance: Provenance = {},
): ProcessResult {
  const validated = validateEvent(input, options.limits);
  if (!validated.ok) return validated;
  return processValidated(validated.value, options, provenance);
}

/** For a payload validateEvent or validateBody already accepted. */
export function processValidated(
  payload: HookPayload,
  options: ProcessOptions,
  provenance: Provenance = {},
): ProcessResult {
  const limits = resolveLimits(options.limits);
  const scrubbed = scrub(payload);
  // The canonical text is JSON.stringify's in another key order (plain JSON only, as validated): the
  // same size, so one serialization serves the size check and the content id.
  const canonical = canonicalJson(scrubbed.value);
  const bytes = Buffer.byteLength(canonical, 'utf8');
  if (bytes > limits.maxRequestBytes)
    return refuse('too_large', tooLargeMessage('event', bytes, limits.maxRequestBytes, REQUEST_SIZE_ADVICE));
  const cut = truncateToFit(scrubbed.value, dataBudget(limits.maxBytes), bytes);
  // Paths are built from producer keys: scrubbed like any text.
  const declared = readTruncated(provenance.truncated)?.map((entry) => ({
    ...entry,
    path: scrubString(entry.path).value,
  }));
  return {
    ok: true,
    draft: enrich(contentIdOf(canonical, options.secret), cut.value, options, {
      occurredAt: readOccurredAt(provenance.occurredAt),
      truncated: mergeCuts(declared, cut.truncated),
    }),
    redactions: scrubbed.redactions,
    kinds: scrubbed.kinds,
  };
}
