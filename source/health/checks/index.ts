/** The standard set of checks, built from the daemon's facts and the configuration. */
import type { Config } from '../../config/schema.js';
import type { DaemonFacts, HealthCheck } from '../types.js';
import { createJournalCheck } from './journal.js';
import { createNetworkCheck } from './network.js';
import { createProcessCheck, STARTUP_GRACE_MS } from './process.js';
import { createServiceCheck } from './service.js';
import { createStoreCheck } from './store.js';

export { createJournalCheck } from './journal.js';
export { createNetworkCheck, fetchOwnStatus } from './network.js';
export {
  capForClientLoad,
  classifyOpenFiles,
  clientLoadCause,
  countOpenFiles,
  createProcessCheck,
  cpuPercentBetween,
  graceForStartup,
  STARTUP_GRACE_MS,
} from './process.js';
export { createServiceCheck, internalErrorRate, serviceDeltas } from './service.js';

/**
 * process, network, service and journal checks, in that order, and the store check when the store is
 * shared (Redis). Close them with the monitor's stop().
 */
export function createStandardChecks(
  facts: DaemonFacts,
  config: Pick<Config, 'health'>,
  now: () => number = Date.now,
): HealthCheck[] {
  const { thresholds } = config.health;
  return [
    createProcessCheck({
      thresholds,
      now,
      clientLoad: () => facts.clientLoad(),
      startupGraceMs: STARTUP_GRACE_MS,
    }),
    createNetworkCheck({ facts, thresholds, now }),
    createServiceCheck({ facts, thresholds, now }),
    createJournalCheck({ facts, thresholds, now }),
    ...(facts.storeStats().kind === 'journal' ? [] : [createStoreCheck({ facts, now })]),
  ];
}
