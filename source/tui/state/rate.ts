/** Events per second over a short sliding window of one-second buckets. Pure; `now` is passed in. */
export interface RateState {
  /** [second, count] pairs, oldest first. */
  readonly buckets: ReadonlyArray<readonly [number, number]>;
}

const WINDOW_SECONDS = 5;

export const EMPTY_RATE: RateState = { buckets: [] };

export function recordArrivals(rate: RateState, count: number, nowMs: number): RateState {
  const second = Math.floor(nowMs / 1000);
  // Keep the current second and the WINDOW_SECONDS complete ones before it (what ratePerSecond reads).
  const recent = rate.buckets.filter(([bucket]) => bucket >= second - WINDOW_SECONDS);
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
