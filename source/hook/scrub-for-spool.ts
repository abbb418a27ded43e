/**
 * The spool is storage too: secrets are replaced before a payload is written there, like everywhere
 * else. Loaded only on the spool path (the daemon is down or refused), so a delivered hook never pays
 * for the scrubber. A spooled payload's content id then differs from the raw one's, so a payload that
 * was both delivered (answer lost) and spooled may be stored twice: rare, and better than a secret on disk.
 */
export async function scrubForSpool(raw: string): Promise<string> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return raw;
  }
  const { scrub } = await import('../pipeline/scrub.js');
  const scrubbed = scrub(value);
  return scrubbed.redactions > 0 ? JSON.stringify(scrubbed.value) : raw;
}
