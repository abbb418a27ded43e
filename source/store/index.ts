export type { EventDraft, EventStore, StoreStats } from './types.js';
export {
  openJournalStore,
  type JournalStore,
  type JournalStoreOptions,
  type JournalStoreStats,
} from './journal-store.js';
export { EventRing } from './ring.js';
export { segmentName, parseSegmentName } from './segments.js';
