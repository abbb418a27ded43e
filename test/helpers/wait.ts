/**
 * Polls `check` every few ms until it returns something truthy, and resolves with it; fails after the
 * deadline naming `what`. Every test that waits for a condition uses this (no blind sleeps).
 *
 * A deadline only bounds a failure: a passing test returns as soon as its condition holds. So no
 * deadline is shorter than MIN_DEADLINE_MS, which a loaded 2-core machine needs to start a process.
 */
export const MIN_DEADLINE_MS = 30_000;

export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = MIN_DEADLINE_MS,
): Promise<NonNullable<T>> {
  const limit = Math.max(timeoutMs, MIN_DEADLINE_MS);
  const deadline = Date.now() + limit;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${limit} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
