/**
 * On a machine whose hooks post to a daemon elsewhere (`url`), no daemon drains the local spool: the
 * hook does, after a post of its own went through, oldest first and within a small time budget so
 * Claude Code never waits long. A payload the daemon refuses as bad is recorded and removed, as the
 * daemon's own drain does; two hooks draining at once cost at most a duplicate the daemon stores once.
 */
import type { DaemonAddress } from '../client/discover.js';
import { drainSpool } from '../store/spool.js';
import { decideAfterPost } from './decide.js';
import { postEvent } from './post-event.js';

export async function drainToRemote(
  spoolDir: string,
  daemon: DaemonAddress,
  timeoutMs: number,
  budgetMs: number,
  now: () => number,
): Promise<number> {
  const deadline = now() + budgetMs;
  const result = await drainSpool(spoolDir, async (payload, entry, provenance) => {
    if (now() >= deadline) return 'retry';
    const occurredAt = typeof provenance.occurredAt === 'string' ? provenance.occurredAt : undefined;
    const answer = await postEvent(daemon, payload, timeoutMs, occurredAt ? { occurredAt } : undefined);
    const decision = decideAfterPost(answer, entry.bytes);
    return decision.action === 'done' ? 'ok' : decision.action === 'drop' ? 'reject' : 'retry';
  });
  return result.delivered;
}
