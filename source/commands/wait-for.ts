/** Polls `condition` until it is true or `timeoutMs` passes; resolves with whether it became true. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 20 }: { timeoutMs: number; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
