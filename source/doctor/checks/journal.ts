/**
 * Journal integrity, read-only: counts lines of `$MPM_MON_HOME/journal/*.ndjson` that are not events.
 * A torn last line (a crash mid-write) is told apart from damage inside a segment. Bounded in time.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { THRESHOLD_DEFAULTS } from '../../config/schema.js';
import { JournalError } from '../../errors/journal-error.js';
import { isBlankLine, parseEventLine } from '../../store/event-line.js';
import { readLines } from '../../store/lines.js';
import { parseSegmentName } from '../../store/segments.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome } from '../types.js';

export interface JournalScan {
  segments: number;
  bytes: number;
  events: number;
  /** Unreadable lines inside segments (not a torn tail). */
  corrupt: Array<{ file: string; line: number }>;
  corruptCount: number;
  /** Segments whose last line is an unterminated, unreadable fragment. */
  tornTails: number;
  /** False when the time budget ran out before every segment was read. */
  complete: boolean;
}

const LISTED = 20;

export async function scanJournal(dir: string, budgetMs = 3000): Promise<JournalScan | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const deadline = Date.now() + budgetMs;
  const scan: JournalScan = {
    segments: 0,
    bytes: 0,
    events: 0,
    corrupt: [],
    corruptCount: 0,
    tornTails: 0,
    complete: true,
  };
  const segments = names.filter((name) => parseSegmentName(name) !== null).sort();
  for (const name of segments) {
    if (Date.now() > deadline) {
      scan.complete = false;
      break;
    }
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) continue;
    scan.segments++;
    scan.bytes += info.size;
    for await (const line of readLines(path, { end: info.size })) {
      if (!line.oversized && isBlankLine(line.text)) continue;
      if (!line.oversized && parseEventLine(line.text)) {
        scan.events++;
        continue;
      }
      if (!line.terminated) {
        scan.tornTails++;
        continue;
      }
      scan.corruptCount++;
      if (scan.corrupt.length < LISTED) scan.corrupt.push({ file: path, line: line.lineNumber });
    }
  }
  return scan;
}

export async function checkJournal(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'journal', label: 'journal', topic: 'journal' as const };
  const dir = ctx.paths.journalDir;
  let scan: JournalScan | null;
  try {
    scan = await scanJournal(dir, Math.max(1000, ctx.timeoutMs * 2));
  } catch (error) {
    const failure = JournalError.readFailed({ dir, cause: error });
    return { ...base, status: 'fail', message: failure.message, fix: failure.steps[0], error: failure };
  }
  if (scan === null) return { ...base, status: 'pass', message: 'no journal yet', details: { dir } };
  const cfg = await ctx.config();
  const threshold = cfg.ok
    ? cfg.resolved.config.health.thresholds.corruptLines
    : THRESHOLD_DEFAULTS.corruptLines;
  const details = { dir, ...scan, threshold };
  const size = `${scan.events} events in ${scan.segments} segment${scan.segments === 1 ? '' : 's'}`;
  const partial = scan.complete ? '' : ' (scan stopped at its time limit)';
  if (scan.corruptCount >= threshold.warn) {
    const first = scan.corrupt[0];
    const error = JournalError.corrupt({
      dir,
      path: first?.file,
      line: first?.line,
      corruptLines: scan.corruptCount,
    });
    const where = scan.corrupt
      .slice(0, 3)
      .map((entry) => `${entry.file.slice(dir.length + 1)}:${entry.line}`)
      .join(', ');
    return {
      ...base,
      status: scan.corruptCount >= threshold.fail ? 'fail' : 'warn',
      message: `${scan.corruptCount} unreadable line${scan.corruptCount === 1 ? '' : 's'} inside segments (${where}); ${size}${partial}`,
      fix: 'those events are skipped; check the disk (see the commands) if it grows',
      error,
      details,
    };
  }
  const torn =
    scan.tornTails > 0
      ? `; ${scan.tornTails} torn last line${scan.tornTails === 1 ? '' : 's'} (a crash mid-write, harmless)`
      : '';
  return { ...base, status: 'pass', message: `${size}, no damage${torn}${partial}`, details };
}
