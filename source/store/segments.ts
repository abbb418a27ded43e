/**
 * Journal segment naming: `<first seq, 20 digits zero-padded>.ndjson`. The name of a segment is a
 * lower bound of every seq in it and above every seq in the segments before it, so a reader can pick
 * the segment to start from by name alone.
 */
export const SEGMENT_SUFFIX = '.ndjson';
const SEQ_DIGITS = 20;
const SEGMENT_NAME = /^(\d{20})\.ndjson$/;

export function segmentName(baseSeq: number): string {
  if (!Number.isSafeInteger(baseSeq) || baseSeq < 1) {
    throw new RangeError(`segment base seq must be a positive safe integer, got ${String(baseSeq)}`);
  }
  return `${String(baseSeq).padStart(SEQ_DIGITS, '0')}${SEGMENT_SUFFIX}`;
}

/** The base seq a segment file name stands for, or null when the name is not a segment's. */
export function parseSegmentName(name: string): number | null {
  const match = SEGMENT_NAME.exec(name);
  if (!match) return null;
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) && seq >= 1 ? seq : null;
}

/** Segment base seqs among directory entries, ascending. */
export function segmentBases(names: readonly string[]): number[] {
  return names
    .map(parseSegmentName)
    .filter((seq): seq is number => seq !== null)
    .sort((a, b) => a - b);
}

/**
 * Index (into ascending `bases`) of the segment that holds the first seq after `since`: the last
 * segment whose base is <= since + 1, or 0 when every segment starts later. -1 when there are none.
 */
export function segmentIndexFor(bases: readonly number[], since: number): number {
  if (bases.length === 0) return -1;
  let low = 0;
  let high = bases.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (bases[middle]! <= since + 1) low = middle + 1;
    else high = middle;
  }
  return Math.max(0, low - 1);
}

/**
 * Which of the oldest segments to delete so that the total fits `maxBytes`. The newest (active)
 * segment is never deleted, even when it alone is larger. Returns how many of the oldest go.
 */
export function segmentsToDrop(sizes: readonly number[], maxBytes: number): number {
  let total = sizes.reduce((sum, size) => sum + size, 0);
  let drop = 0;
  while (total > maxBytes && drop < sizes.length - 1) {
    total -= sizes[drop]!;
    drop += 1;
  }
  return drop;
}
