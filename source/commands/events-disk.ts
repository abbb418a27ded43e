/** `mpm-mon events` with the daemon down: the journal's segments read straight from disk, read-only. */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorCodeOf } from '../errors/base.js';
import { HomeNotWritableError, homeIsAFile } from '../errors/home-error.js';
import { JournalError } from '../errors/journal-error.js';
import type { MonEvent } from '../protocol/event.js';
import { eventMatcher, type EventFilter } from '../protocol/event-filter.js';
import { parseEventLine } from '../store/event-line.js';
import { readLines } from '../store/lines.js';
import { segmentBases, segmentName } from '../store/segments.js';

/** Events passed on at a time when everything in range is wanted. */
const CHUNK = 1000;

/**
 * The newest `want` events in `dir` that pass the filter, oldest first (each seq once), in chunks: as
 * they are read when `want` is infinite, else once the newest `want` are known (at most 2 × want held).
 */
export async function* journalPages(
  dir: string,
  filter: EventFilter,
  want: number,
): AsyncGenerator<MonEvent[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT') return;
    const home = dirname(dir);
    if (errorCodeOf(error) === 'ENOTDIR' && homeIsAFile(home))
      throw new HomeNotWritableError({ home, problem: 'not-a-directory' });
    // A journal folder we may not read: said plainly, not as a bug.
    throw JournalError.readFailed({ dir, path: dir, cause: error });
  }
  if (want === 0) return;
  const matches = eventMatcher(filter) ?? (() => true);
  const streaming = !Number.isFinite(want);
  let kept: MonEvent[] = [];
  let highest = 0;
  for (const base of segmentBases(names)) {
    if (filter.before !== undefined && base >= filter.before) break;
    for await (const line of readLines(join(dir, segmentName(base)))) {
      const event = line.terminated ? parseEventLine(line.text) : null;
      if (!event || event.seq <= highest) continue;
      highest = event.seq;
      if (!matches(event)) continue;
      kept.push(event);
      if (streaming && kept.length >= CHUNK) {
        yield kept;
        kept = [];
      }
      // Bounded memory for --last N: drop the oldest in chunks rather than one shift per event.
      else if (!streaming && kept.length > want * 2 && kept.length > 1024) kept.splice(0, kept.length - want);
    }
  }
  const rest = streaming ? kept : kept.slice(-want);
  if (rest.length > 0) yield rest;
}
