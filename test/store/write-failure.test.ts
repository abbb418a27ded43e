import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { isJournalError, type JournalError } from '../../source/errors/journal-error.js';
import type { MonEvent } from '../../source/protocol/event.js';
import { parseSegmentName, segmentName } from '../../source/store/segments.js';
import { openTestStore } from './helpers.js';
import { draft, seqsOf } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';
import { recordingLogger } from '../helpers/recording-logger.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

async function rejection(promise: Promise<unknown>): Promise<JournalError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isJournalError(error), `expected a JournalError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the append to be rejected');
}

/** Every line of every segment file is a whole event: nothing half-written glued onto another. */
function assertEveryLineParses(dir: string): void {
  for (const name of readdirSync(dir).filter((entry) => parseSegmentName(entry) !== null)) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    for (const text of readFileSync(path, 'utf8').split('\n')) {
      if (text.length > 0) assert.doesNotThrow(() => JSON.parse(text), `${name}: ${text}`);
    }
  }
}

// segmentBytes 1: every batch starts a new segment named by its first seq, so the test knows which
// path the next write will open and can put the failure there.
const rotateEveryBatch = { segmentBytes: 1 };

describe('write failures', () => {
  if (existsSync('/dev/full')) {
    test('disk full: appends are rejected, nothing acked is lost, and writing resumes once space is back', async () => {
      const logger = recordingLogger();
      const store = await openTestStore(temp.path, { ...rotateEveryBatch, logger });
      const acked: MonEvent[] = [];
      try {
        acked.push(...(await store.append([draft(1), draft(2)])));
        const blocked = join(temp.path, segmentName(store.lastSeq + 1));
        symlinkSync('/dev/full', blocked);

        const first = store.append([draft(3)]);
        const second = store.append([draft(4)]);
        assert.equal(store.lastSeq, 4, 'seqs are handed out even though the write will fail');
        const [firstError, secondError] = await Promise.all([rejection(first), rejection(second)]);
        assert.equal(firstError, secondError, 'one write, one error for the whole batch');
        assert.equal(firstError.code, 'JOURNAL_DISK_FULL');
        assert.equal(firstError.context.errno, 'ENOSPC');
        assert.equal(firstError.context.dir, temp.path);
        assert.equal(firstError.context.path, blocked);
        assert.ok(firstError.commandsFor('linux').some((command) => command.startsWith('df -h')));

        let stats = store.stats();
        assert.equal(stats.writable, false);
        assert.equal(stats.writeErrors, 1);
        assert.ok(
          logger.entries.some((entry) => entry.level === 'error' && entry.fields?.errno === 'ENOSPC'),
        );

        // Still full: the next append tries again and fails again.
        const third = await rejection(store.append([draft(5)]));
        assert.equal(third.code, 'JOURNAL_DISK_FULL');
        assert.equal(store.stats().writeErrors, 2);

        unlinkSync(blocked);
        const resumed = await store.append([draft(6)]);
        assert.deepEqual(seqsOf(resumed), [6], 'failed seqs are never reused');
        acked.push(...resumed);
        stats = store.stats();
        assert.equal(stats.writable, true);
        assert.equal(stats.writeErrors, 2);
        assert.deepEqual(await store.readSince(0, 100), acked);
      } finally {
        await store.close();
      }
      assertEveryLineParses(temp.path);
      const reopened = await openTestStore(temp.path, { ringSize: 0 });
      try {
        assert.deepEqual(await reopened.readSince(0, 100), acked);
        assert.equal(reopened.lastSeq, 6);
        assert.equal(reopened.stats().corruptLines, 0);
      } finally {
        await reopened.close();
      }
    });

    test('the seqs of a failed write leave a gap that reads step over, in memory and on disk', async () => {
      const store = await openTestStore(temp.path, { ...rotateEveryBatch, ringSize: 1 });
      try {
        await store.append([draft(1)]);
        const blocked = join(temp.path, segmentName(2));
        symlinkSync('/dev/full', blocked);
        await rejection(store.append([draft(2)]));
        unlinkSync(blocked);
        await store.append([draft(3)]);
        await store.append([draft(4)]);
        assert.deepEqual(seqsOf(await store.readSince(0, 10)), [1, 3, 4]);
        assert.deepEqual(seqsOf(await store.readBefore(4, 10)), [1, 3]);
      } finally {
        await store.close();
      }
      assertEveryLineParses(temp.path);
    });
  }

  test('unwritable: a directory where the segment should be is refused; appends work again after', async () => {
    const store = await openTestStore(temp.path, rotateEveryBatch);
    const acked: MonEvent[] = [];
    try {
      acked.push(...(await store.append([draft(1)])));
      const blocked = join(temp.path, segmentName(2));
      mkdirSync(blocked);
      const error = await rejection(store.append([draft(2)]));
      assert.equal(error.code, 'JOURNAL_UNWRITABLE');
      assert.equal(error.context.errno, 'EISDIR');
      assert.equal(error.context.path, blocked);
      assert.match(error.message, /cannot write the event journal/);
      assert.ok(error.steps.length > 0);
      assert.equal(store.stats().writable, false);

      rmdirSync(blocked);
      acked.push(...(await store.append([draft(3)])));
      assert.equal(store.stats().writable, true);
      assert.deepEqual(await store.readSince(0, 10), acked);
    } finally {
      await store.close();
    }
    const reopened = await openTestStore(temp.path);
    try {
      assert.deepEqual(await reopened.readSince(0, 10), acked);
      assert.equal(reopened.lastSeq, 3);
    } finally {
      await reopened.close();
    }
  });

  test('a leftover non-file segment name is ignored at recovery but its seq is not reused', async () => {
    const logger = recordingLogger();
    const store = await openTestStore(temp.path, rotateEveryBatch);
    try {
      await store.append([draft(1)]);
      mkdirSync(join(temp.path, segmentName(2)));
      await rejection(store.append([draft(2)]));
    } finally {
      await store.close();
    }
    const reopened = await openTestStore(temp.path, { logger });
    try {
      assert.ok(
        logger.entries.some(
          (entry) => entry.level === 'warn' && entry.fields?.file === join(temp.path, segmentName(2)),
        ),
      );
      assert.equal(reopened.lastSeq, 2);
      assert.deepEqual(seqsOf(await reopened.append([draft(3)])), [3]);
      assert.deepEqual(seqsOf(await reopened.readSince(0, 10)), [1, 3]);
    } finally {
      await reopened.close();
    }
  });
});
