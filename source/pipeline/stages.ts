/** The stages the ingest path composes (kept as its own entry point; see index.ts for the full API). */
export { processPayload, validateBody, Deduper, RateLimiter, type Limits } from './index.js';
