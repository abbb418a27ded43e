/** One raw payload through validate → scrub → enrich: what the daemon calls for every event. */
import type { WireError } from '../protocol/event.js';
import type { EventDraft } from '../store/types.js';
import { enrich, type EnrichOptions } from './enrich.js';
import type { PayloadLimits } from './limits.js';
import { scrub, type ScrubResult } from './scrub.js';
import { validateEvent, type HookPayload } from './validate.js';

export interface ProcessOptions extends EnrichOptions {
  limits?: Partial<PayloadLimits>;
}

export type ProcessResult =
  | { ok: true; draft: EventDraft; redactions: number; kinds: ScrubResult<unknown>['kinds'] }
  | { ok: false; error: WireError };

/** `input`: raw JSON text (string or bytes) or an already-parsed value. */
export function processPayload(input: unknown, options: ProcessOptions): ProcessResult {
  const validated = validateEvent(input, options.limits);
  if (!validated.ok) return validated;
  return processValidated(validated.value, options);
}

/** For a payload validateEvent or validateBody already accepted. */
export function processValidated(payload: HookPayload, options: EnrichOptions): ProcessResult {
  const scrubbed = scrub(payload);
  return {
    ok: true,
    draft: enrich(payload, scrubbed.value, options),
    redactions: scrubbed.redactions,
    kinds: scrubbed.kinds,
  };
}
