/**
 * A sparse index of one journal segment: the seq and byte offset of a line every `strideBytes`, so a
 * read from a seq starts near it instead of at the top of the segment. Lines are appended in seq order;
 * should a damaged segment hold them out of order, the index says so and reads start at the top.
 */
export const INDEX_STRIDE_BYTES = 64 * 1024;

export class SeqIndex {
  private readonly seqs: number[] = [];
  private readonly offsets: number[] = [];
  private ordered = true;
  private lastSeq = 0;

  constructor(private readonly strideBytes = INDEX_STRIDE_BYTES) {}

  get entries(): number {
    return this.seqs.length;
  }

  /** Notes the line holding `seq` at byte `offset`; kept only a stride after the previous entry. */
  add(seq: number, offset: number): void {
    if (seq <= this.lastSeq) this.ordered = false;
    this.lastSeq = seq;
    const last = this.seqs.length - 1;
    if (last >= 0 && offset < this.offsets[last]! + this.strideBytes) return;
    this.seqs.push(seq);
    this.offsets.push(offset);
  }

  /** Byte offset to read from for every line with seq > since (0 when the index cannot tell). */
  startFor(since: number): number {
    if (!this.ordered) return 0;
    // The last entry whose seq <= since + 1: every line before it holds a lower seq.
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.seqs[middle]! <= since + 1) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? 0 : this.offsets[low - 1]!;
  }

  /**
   * Byte offset a read may stop at when it wants only lines with seq < before: from there on every
   * line holds a seq >= before (`size`, the segment's end, when the index cannot tell).
   */
  endFor(before: number, size: number): number {
    if (!this.ordered) return size;
    // The first entry whose seq >= before.
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.seqs[middle]! < before) low = middle + 1;
      else high = middle;
    }
    return low === this.seqs.length ? size : this.offsets[low]!;
  }

  /** True while every line was added in ascending seq order: a read may stop once it has enough. */
  get inOrder(): boolean {
    return this.ordered;
  }
}

const SEQ_PREFIX = /^\{"seq":(\d{1,16})[,}]/;

/**
 * The seq of a journal line without parsing all of it (the writer puts seq first), or null when the
 * line does not start that way and must be parsed whole.
 */
export function leadingSeq(text: string): number | null {
  const match = SEQ_PREFIX.exec(text);
  return match ? Number(match[1]) : null;
}
