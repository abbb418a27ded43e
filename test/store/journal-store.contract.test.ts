import { openJournalStore } from '../../source/store/index.js';
import { runStoreContract } from './contract.js';
import { tempDir } from '../helpers/temp-home.js';
import { recordingLogger } from '../helpers/recording-logger.js';

const dirs: Array<() => void> = [];

runStoreContract('embedded journal', {
  open: async () => {
    const temp = tempDir();
    dirs.push(temp.remove);
    // A small ring and small segments, so reads cross from memory to disk and from segment to segment.
    const options = {
      dir: temp.path,
      ringSize: 64,
      segmentBytes: 16 * 1024,
      maxBytes: 64 * 1024 * 1024,
      logger: recordingLogger(),
    };
    return { store: await openJournalStore(options), reopen: () => openJournalStore(options) };
  },
  teardown: () => {
    for (const remove of dirs) remove();
    return Promise.resolve();
  },
});
