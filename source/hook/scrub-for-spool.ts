/**
 * The spool is storage too: secrets are replaced before a payload is written there, like everywhere
 * else. Loaded only on the spool path (the daemon is down or refused), so a delivered hook never pays
 * for the scrubber. The daemon takes content ids from scrubbed payloads, so a payload that was both
 * delivered (answer lost) and spooled is still stored once.
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
