/**
 * The event path: rate limit → validate → scrub → content id → truncate → enrich → dedupe → store →
 * ack. It turns payloads into drafts and the store's answer into acks, and knows no transport: the
 * routes decide what an answer looks like on HTTP or Socket.IO. Viewers are fed by the store's tail,
 * not from here.
 * One place for HTTP bodies (one event or an array) and Socket.IO events, so both refuse the same
 * input with the same reason. An event is acknowledged only after the store has written it.
 */
import type { Config } from '../config/schema.js';
import type { Counters } from '../daemon/counters.js';
import type { Logger } from '../instance/logger-types.js';
import type { EventSource, IngestAck, MonEvent, WireError } from '../protocol/event.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import type { Appended, EventDraft, EventStore } from '../store/types.js';
import {
  contentKey,
  Deduper,
  RateLimiter,
  processPayload,
  processValidated,
  validateBody,
  type ContentKey,
  type Limits,
  type ProcessOptions,
  type ProcessResult,
  type Provenance,
} from './index.js';

export interface IngestorOptions {
  store: EventStore;
  config: Config['events'];
  /** Keys the content id (the daemon's token), so an id cannot be used to guess a scrubbed secret. */
  secret: string;
  counters: Counters;
  logger: Logger;
  now?: () => number;
}

/** What became of a body of one event or an array: refused whole, or one ack per item. */
export type BodyOutcome = { ok: false; error: WireError } | { ok: true; array: boolean; acks: IngestAck[] };

/** How one append ended: the stored events (or the copies the store already had), or why nothing was stored. */
type Written = { events: Appended[] } | { error: WireError };

type Prepared =
  | { kind: 'refused'; error: WireError }
  | { kind: 'duplicate'; seq: number }
  | { kind: 'waiting'; id: string; written: Promise<Written> }
  | { kind: 'fresh'; draft: Extract<ProcessResult, { ok: true }> };

export class Ingestor {
  private readonly limits: Limits;
  private readonly deduper: Deduper;
  private readonly limiter: RateLimiter;
  /** Content ids being written now: a second copy waits for the first one's write. */
  private readonly inFlight = new Map<string, Promise<Written>>();
  private pendingWrites = new Set<Promise<unknown>>();
  private accepting = true;
  private readonly now: () => number;
  private readonly key: ContentKey;

  constructor(private readonly options: IngestorOptions) {
    this.now = options.now ?? Date.now;
    this.key = contentKey(options.secret);
    this.limits = { maxBytes: options.config.maxBytes, maxRequestBytes: options.config.maxRequestBytes };
    this.deduper = new Deduper({
      windowMs: options.config.dedupeWindowMs,
      maxEntries: 50_000,
      now: this.now,
    });
    this.limiter = new RateLimiter({ ratePerSecond: options.config.ratePerSecond, now: this.now });
  }

  /**
   * Stored events the dedupe window should know (the newest of the journal at start), so a producer
   * resending what a killed daemon had stored but not acknowledged gets its first seq back.
   */
  rememberStored(events: readonly MonEvent[]): void {
    for (const event of events) this.deduper.remember(event.id, event.seq, Date.parse(event.receivedAt));
  }

  /** Seeds the dedupe window with the store's newest `count` events (at start-up). */
  async rememberNewest(count: number): Promise<void> {
    const { store } = this.options;
    this.rememberStored(await store.readBefore(store.lastSeq + 1, count));
  }

  /** One event from Socket.IO or the spool (a parsed value or raw JSON text). */
  ingestOne(
    input: unknown,
    producer: string,
    source: EventSource,
    provenance: Provenance = {},
  ): Promise<IngestAck> {
    return this.answering(this.one(input, producer, source, provenance));
  }

  /** A POST /events body: one event or an array of them. */
  ingestBody(
    body: Buffer,
    producer: string,
    source: EventSource,
    provenance: Provenance = {},
  ): Promise<BodyOutcome> {
    return this.answering(this.body(body, producer, source, provenance));
  }

  private async one(
    input: unknown,
    producer: string,
    source: EventSource,
    provenance: Provenance,
  ): Promise<IngestAck> {
    const refusal = this.gate(producer, 1, source);
    if (refusal) return { ok: false, error: refusal };
    const processed = processPayload(input, this.processOptions(source), provenance);
    const [ack] = await this.ingestValidated([this.prepare(processed, source)], source);
    return ack!;
  }

  private async body(
    body: Buffer,
    producer: string,
    source: EventSource,
    provenance: Provenance,
  ): Promise<BodyOutcome> {
    const parsed = validateBody(body, this.limits);
    if (!parsed.ok) {
      this.options.counters.refused(parsed.error.code, parsed.error.message, source);
      return { ok: false, error: parsed.error };
    }
    const refusal = this.gate(producer, parsed.items.length, source);
    if (refusal) return { ok: false, error: refusal };
    const options = this.processOptions(source);
    const prepared = parsed.items.map((item) =>
      item.ok
        ? this.prepare(processValidated(item.value, options, provenance), source)
        : this.refused(item.error, source),
    );
    return { ok: true, array: parsed.array, acks: await this.ingestValidated(prepared, source) };
  }

  /** Shutdown: new events are refused with `shutting_down` (the hook spools them). */
  refuseNew(): void {
    this.accepting = false;
  }

  /**
   * Resolves when every accepted event has been written (or failed) AND answered: the transports'
   * callbacks on an ingest call run before this resumes (they were attached first), so a stop that
   * waits for it closes no connection before the acks of what was journaled went out.
   */
  async settled(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.allSettled([...this.pendingWrites]);
    // One turn of the event loop: the acks just emitted reach the sockets before they are closed.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Tracks an ingest call until its answer is out (see settled). */
  private answering<T>(answer: Promise<T>): Promise<T> {
    this.track(answer);
    return answer;
  }

  private gate(producer: string, count: number, source: EventSource): WireError | null {
    if (!this.accepting) {
      const error: WireError = {
        code: 'shutting_down',
        message: 'the daemon is shutting down; retry against the next one',
      };
      this.options.counters.refused(error.code, error.message, source);
      return error;
    }
    const taken = this.limiter.take(producer, count);
    if (taken.ok) return null;
    this.options.counters.refused(taken.error.code, taken.error.message, source);
    return taken.error;
  }

  private refused(error: WireError, source: EventSource): Prepared {
    this.options.counters.refused(error.code, error.message, source);
    return { kind: 'refused', error };
  }

  private processOptions(source: EventSource): ProcessOptions {
    return { limits: this.limits, secret: this.key, source, now: this.now };
  }

  private prepare(result: ProcessResult, source: EventSource): Prepared {
    if (!result.ok) return this.refused(result.error, source);
    const seen = this.deduper.lookup(result.draft.id);
    if (seen !== undefined) return { kind: 'duplicate', seq: seen };
    const written = this.inFlight.get(result.draft.id);
    if (written) return { kind: 'waiting', id: result.draft.id, written };
    return { kind: 'fresh', draft: result };
  }

  private async ingestValidated(prepared: Prepared[], source: EventSource): Promise<IngestAck[]> {
    const fresh = prepared.filter(
      (item): item is Extract<Prepared, { kind: 'fresh' }> => item.kind === 'fresh',
    );
    // Two copies of one payload in the same batch: the first is written, the others are its duplicates.
    const firstCopy = new Map<string, Prepared>();
    const drafts = fresh.filter((item) => {
      if (firstCopy.has(item.draft.draft.id)) return false;
      firstCopy.set(item.draft.draft.id, item);
      return true;
    });
    const written = drafts.length > 0 ? this.write(drafts.map((item) => item.draft.draft)) : null;
    const outcome = written ? await written : null;
    const storedById =
      outcome && 'events' in outcome ? new Map(outcome.events.map((event) => [event.id, event])) : null;
    const acks: IngestAck[] = [];
    for (const item of prepared) {
      switch (item.kind) {
        case 'refused':
          acks.push({ ok: false, error: item.error });
          break;
        case 'duplicate':
          acks.push(this.duplicateOf(item.seq));
          break;
        case 'waiting': {
          const first = await item.written;
          const seq = 'events' in first ? first.events.find((event) => event.id === item.id)?.seq : undefined;
          acks.push(seq === undefined ? { ok: false, error: retryable(source) } : this.duplicateOf(seq));
          break;
        }
        case 'fresh': {
          if (!storedById) {
            const error = (outcome as { error: WireError }).error;
            this.options.counters.refused(error.code, error.message, source);
            acks.push({ ok: false, error });
            break;
          }
          // A shared store may already hold it (another daemon stored it): a duplicate, as from our window.
          const stored = storedById.get(item.draft.draft.id)!;
          acks.push(
            firstCopy.get(item.draft.draft.id) === item && !stored.duplicate
              ? { ok: true, seq: stored.seq }
              : this.duplicateOf(stored.seq),
          );
          break;
        }
      }
    }
    return acks;
  }

  /**
   * Appends, then (in write order) remembers, counts and publishes. Ids stay in `inFlight` until the
   * write ends, so a copy arriving meanwhile waits for this write instead of being stored twice.
   */
  private write(drafts: EventDraft[]): Promise<Written> {
    const forget = (): void => {
      for (const draft of drafts) if (this.inFlight.get(draft.id) === written) this.inFlight.delete(draft.id);
    };
    const written = this.options.store.append(drafts).then(
      (events): Written => {
        forget();
        for (const event of events) this.deduper.remember(event.id, event.seq);
        const fresh = events.filter((event) => !event.duplicate).length;
        if (fresh > 0) this.options.counters.accepted(fresh, this.now());
        return { events };
      },
      (error: unknown): Written => {
        forget();
        this.options.logger.error('store write failed; events refused', {
          count: drafts.length,
          error: String(error),
        });
        const reason = error instanceof Error ? error.message : String(error);
        return {
          error: isStoreUnavailable(error)
            ? { code: 'store_unavailable', message: `the store is unreachable (${reason}); retry later` }
            : {
                code: 'journal_unavailable',
                message: `the event could not be written to the journal (${reason}); retry later`,
              },
        };
      },
    );
    for (const draft of drafts) this.inFlight.set(draft.id, written);
    this.track(written);
    return written;
  }

  private duplicateOf(seq: number): IngestAck {
    this.options.counters.duplicates++;
    return { ok: true, seq, duplicate: true };
  }

  private track(promise: Promise<unknown>): void {
    this.pendingWrites.add(promise);
    void promise.finally(() => this.pendingWrites.delete(promise));
  }
}

function retryable(source: EventSource): WireError {
  return {
    code: 'journal_unavailable',
    message: `an identical event (${source}) was being written and failed; retry later`,
  };
}
