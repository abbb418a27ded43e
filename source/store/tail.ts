/**
 * `tail(since)` for every store: the stored events after `since` page by page, then each new batch as
 * it is stored. The store says how to read a page and how to subscribe to new batches; the order of
 * the two steps (subscribe, then read again from the last seq seen) is what makes it gapless: a batch
 * stored between the last page and the subscription is in the second read, one stored after it in the
 * inbox, and anything seen twice is dropped by seq.
 */
import type { MonEvent } from '../protocol/event.js';

/** A page of stored events with seq > since, ascending, at most `limit`. */
export type ReadPage = (since: number, limit: number) => Promise<MonEvent[]>;
/** Calls `onBatch` with each newly stored batch (ascending) until the returned function is called. */
export type Subscribe = (onBatch: (events: readonly MonEvent[]) => void) => () => void;

export const TAIL_PAGE = 2000;

export async function* tailFrom(
  since: number,
  readPage: ReadPage,
  subscribe: Subscribe,
  signal?: AbortSignal,
  page = TAIL_PAGE,
): AsyncGenerator<MonEvent[], void, undefined> {
  let last = since;
  const catchUp = async function* (): AsyncGenerator<MonEvent[], void, undefined> {
    for (;;) {
      if (signal?.aborted) return;
      const events = await readPage(last, page);
      const fresh = events.filter((event) => event.seq > last);
      if (fresh.length > 0) {
        last = fresh.at(-1)!.seq;
        yield fresh;
      }
      if (events.length < page) return;
    }
  };
  yield* catchUp();
  const inbox = new Inbox(signal);
  const unsubscribe = subscribe((events) => inbox.push(events));
  try {
    yield* catchUp();
    for (;;) {
      const batch = await inbox.next();
      if (batch === null) return;
      const fresh = batch.filter((event) => event.seq > last);
      if (fresh.length === 0) continue;
      last = fresh.at(-1)!.seq;
      yield fresh;
    }
  } finally {
    unsubscribe();
  }
}

/** Batches waiting for one tail; `next()` resolves with null once the signal aborts. */
class Inbox {
  private readonly batches: (readonly MonEvent[])[] = [];
  private waiter: ((batch: readonly MonEvent[] | null) => void) | null = null;
  private done = false;

  constructor(signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.close(), { once: true });
    if (signal?.aborted) this.done = true;
  }

  push(events: readonly MonEvent[]): void {
    if (this.done || events.length === 0) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = null;
      resolve(events);
    } else this.batches.push(events);
  }

  next(): Promise<readonly MonEvent[] | null> {
    const batch = this.batches.shift();
    if (batch) return Promise.resolve(batch);
    if (this.done) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private close(): void {
    this.done = true;
    this.batches.length = 0;
    const resolve = this.waiter;
    this.waiter = null;
    resolve?.(null);
  }
}

/** Subscribers of one store's new batches. */
export class Fanout {
  private readonly listeners = new Set<(events: readonly MonEvent[]) => void>();

  get size(): number {
    return this.listeners.size;
  }

  readonly subscribe: Subscribe = (onBatch) => {
    this.listeners.add(onBatch);
    return () => this.listeners.delete(onBatch);
  };

  emit(events: readonly MonEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) listener(events);
  }
}
