/** What the daemon counts, for /status, /diagnostics, /metrics and the health checks. */
import { LOAD_REFUSALS, type RefusalCode } from '../protocol/event.js';
import type { RecentRefusal } from '../protocol/diagnostics.js';

/** Refusals a client caused: reported, but never a daemon fault and never a reason for recovery. */
export const CLIENT_REFUSALS: ReadonlySet<RefusalCode> = new Set([
  'invalid_json',
  'invalid_event',
  'too_large',
  'too_deep',
  'rate_limited',
  'unauthorized',
  'forbidden_origin',
  'forbidden_host',
  'not_found',
  ...LOAD_REFUSALS,
]);

export type { RecentRefusal };

export class Counters {
  ingested = 0;
  duplicates = 0;
  internalErrors = 0;
  readonly refusedByReason: Partial<Record<RefusalCode, number>> = {};
  private readonly recent: RecentRefusal[] = [];
  /** Events accepted per whole second, for the last few seconds (events/s without a per-event array). */
  private readonly buckets = new Map<number, number>();

  constructor(private readonly recentLimit = 50) {}

  accepted(count: number, now = Date.now()): void {
    this.ingested += count;
    const second = Math.floor(now / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + count);
    if (this.buckets.size > 8) this.trim(now);
  }

  refused(code: RefusalCode, message: string, source: string): void {
    this.refusedByReason[code] = (this.refusedByReason[code] ?? 0) + 1;
    if (!CLIENT_REFUSALS.has(code)) this.internalErrors++;
    this.recent.push({ at: new Date().toISOString(), code, message, source });
    if (this.recent.length > this.recentLimit) this.recent.shift();
  }

  /** Events per second over the last 5 whole seconds. */
  perSecond(now = Date.now()): number {
    this.trim(now);
    const current = Math.floor(now / 1000);
    let sum = 0;
    for (const [second, count] of this.buckets) if (second < current && second >= current - 5) sum += count;
    return Math.round((sum / 5) * 10) / 10;
  }

  recentRefusals(): RecentRefusal[] {
    return [...this.recent];
  }

  private trim(now: number): void {
    const oldest = Math.floor(now / 1000) - 6;
    for (const second of this.buckets.keys()) if (second < oldest) this.buckets.delete(second);
  }
}
