/** Events per second over a short sliding window of one-second buckets. Pure; `now` is passed in. */
export interface RateState {
  /** [second, count] pairs, oldest first. */
  readonly buckets: ReadonlyArray<readonly [number, number]>;
}

const WINDOW_SECONDS = 5;
/** Seconds kept: the mean reads the last WINDOW_SECONDS, the header's sparkline all of them. */
export const HISTORY_SECONDS = 30;

export const EMPTY_RATE: RateState = { buckets: [] };

export function recordArrivals(rate: RateState, count: number, nowMs: number): RateState {
  const second = Math.floor(nowMs / 1000);
  // Keep the current second and the HISTORY_SECONDS complete ones before it.
  const recent = rate.buckets.filter(([bucket]) => bucket >= second - HISTORY_SECONDS);
  const last = recent.at(-1);
  if (last && last[0] === second) recent[recent.length - 1] = [second, last[1] + count];
  else recent.push([second, count]);
  return { buckets: recent };
}

/** Mean rate over the completed seconds of the window (the current second is still filling). */
export function ratePerSecond(rate: RateState, nowMs: number): number {
  const second = Math.floor(nowMs / 1000);
  const total = rate.buckets
    .filter(([bucket]) => bucket < second && bucket >= second - WINDOW_SECONDS)
    .reduce((sum, [, count]) => sum + count, 0);
  return total / WINDOW_SECONDS;
}

/** Events in each of the last `seconds` completed seconds, oldest first (0 where none arrived). */
export function rateSeries(rate: RateState, nowMs: number, seconds: number): number[] {
  const second = Math.floor(nowMs / 1000);
  const counts = new Map(rate.buckets);
  return Array.from({ length: seconds }, (_, index) => counts.get(second - seconds + index) ?? 0);
}
