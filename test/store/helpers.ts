/** The journal store as the store tests open it: small ring and segments, a recording logger. */
import { openJournalStore, type JournalStore, type JournalStoreOptions } from '../../source/store/index.js';
import { recordingLogger } from '../helpers/recording-logger.js';

export function openTestStore(
  dir: string,
  overrides: Partial<JournalStoreOptions> = {},
): Promise<JournalStore> {
  return openJournalStore({
    dir,
    ringSize: 100,
    segmentBytes: 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
    logger: recordingLogger(),
    ...overrides,
  });
}
