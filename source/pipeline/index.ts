/** The pure event pipeline stages: validate → scrub → enrich, dedupe and rate limiting. No I/O. */
export { DEFAULT_LIMITS, resolveLimits, type Limits, type PayloadLimits } from './limits.js';
export type { Result } from './result.js';
export {
  validateBody,
  validateEvent,
  validateEventText,
  validateEventValue,
  type BodyResult,
  type HookPayload,
} from './validate.js';
export { FORBIDDEN_KEYS } from './check-shape.js';
export { scrub, scrubString, type ScrubResult, type SecretKind } from './scrub.js';
export { isSecretName } from './secret-names.js';
export { canonicalJson } from './canonical-json.js';
export {
  contentId,
  contentKey,
  enrich,
  mergeCuts,
  readOccurredAt,
  readTruncated,
  CONTENT_ID_LENGTH,
  type ContentKey,
  type EnrichOptions,
  type Provenance,
} from './enrich.js';
export { truncateToFit, dataBudget, cutMarker, type TruncateResult } from './truncate.js';
export {
  processPayload,
  processValidated,
  type ProcessOptions,
  type ProcessResult,
} from './process-payload.js';
export { Deduper, type DeduperOptions } from './dedupe.js';
export {
  RateLimiter,
  DEFAULT_MAX_PRODUCERS,
  type RateLimiterOptions,
  type TakeResult,
} from './rate-limit.js';
