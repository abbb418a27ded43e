/**
 * The shared store (store.kind: redis): reachable and writable. Failing here means events are refused
 * with 503 `store_unavailable` (the hook spools them); no in-process recovery brings Redis back, so the
 * recovery ladder records it for an operator instead of acting (recovery/strategy.ts).
 */
import type { CheckResult } from '../../protocol/health.js';
import type { DaemonFacts, HealthCheck } from '../types.js';
import { isoNow, judged } from './result.js';

export interface StoreCheckOptions {
  facts: Pick<DaemonFacts, 'storeStats'>;
  now?: () => number;
}

interface SharedStoreFigures {
  connected?: boolean;
  url?: string;
  streamLength?: number;
  peers?: unknown[];
  reconnects?: number;
}

export function createStoreCheck(options: StoreCheckOptions): HealthCheck {
  const now = options.now ?? Date.now;
  return {
    name: 'store',
    run(): Promise<CheckResult[]> {
      const stats = options.facts.storeStats();
      const shared = stats as typeof stats & SharedStoreFigures;
      const ok = shared.connected === true && stats.writable;
      const output = ok
        ? `${stats.kind} at ${shared.url ?? '?'}: seq ${stats.firstSeq}..${stats.lastSeq}, ${shared.streamLength ?? 0} entries, ${shared.peers?.length ?? 0} other daemon(s)`
        : `${stats.kind} at ${shared.url ?? '?'} is ${shared.connected ? 'refusing writes' : 'unreachable'} (${stats.writeErrors} write errors, ${shared.reconnects ?? 0} reconnects); events are refused with 503 store_unavailable and spooled by the hook; reconnecting with backoff`;
      return Promise.resolve([
        judged(
          {
            name: 'store:reachable',
            value: stats.writeErrors,
            unit: 'write errors',
            status: ok ? 'pass' : 'fail',
            output,
          },
          isoNow(now),
        ),
      ]);
    },
  };
}
