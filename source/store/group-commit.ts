/**
 * Group commit: items submitted while a batch is being written wait and then go out together in the
 * next batch, so N concurrent appends cost a handful of writes instead of N. Batches run one at a
 * time in submission order; a failed batch rejects every submission in it and the next one still runs.
 */
interface Waiting<T> {
  items: readonly T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  private queue: Waiting<T>[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private batchCount = 0;

  constructor(private readonly writeBatch: (items: T[]) => Promise<void>) {}

  /** Batches started so far (each is one call to `writeBatch`). */
  get batches(): number {
    return this.batchCount;
  }

  get pending(): number {
    return this.queue.length;
  }

  submit(items: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Start on a microtask so that calls made in the same tick share the first batch too.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  /** Resolves once nothing is queued or being written. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      this.batchCount += 1;
      try {
        await this.writeBatch(batch.flatMap((waiting) => waiting.items));
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
