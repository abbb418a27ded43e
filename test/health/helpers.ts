/** Shared helpers of the health tests: a plain DaemonFacts object and waiting for a condition. */
import type { ClientLoad, DaemonFacts, ServiceCounters } from '../../source/health/types.js';
import type { StoreStats } from '../../source/store/types.js';

export interface FakeDaemon extends DaemonFacts {
  state: {
    viewers: number;
    producers: number;
    counters: ServiceCounters;
    backlog: number;
    store: StoreStats;
    spool: { files: number; bytes: number };
    address: { host: string; port: number } | null;
    probeOk: boolean;
    load: ClientLoad;
  };
}

/** DaemonFacts backed by plain mutable figures (the daemon's real parts are tested elsewhere). */
export function fakeDaemon(homeDir: string): FakeDaemon {
  const state: FakeDaemon['state'] = {
    viewers: 0,
    producers: 0,
    counters: { ingested: 0, refusedByReason: {}, internalErrors: 0, delivered: 0, droppedViewers: 0 },
    backlog: 0,
    store: {
      kind: 'journal',
      lastSeq: 0,
      firstSeq: 0,
      segments: 1,
      bytes: 0,
      corruptLines: 0,
      writeErrors: 0,
      writable: true,
    },
    spool: { files: 0, bytes: 0 },
    address: null,
    probeOk: true,
    load: {
      connections: 0,
      pendingConnections: 0,
      maxConnections: 512,
      replaysActive: 0,
      replaysQueued: 0,
      replaysStarted: 0,
      replaysPeak: 0,
    },
  };
  return {
    state,
    homeDir,
    address: () => state.address,
    viewers: () => state.viewers,
    producers: () => state.producers,
    counters: () => structuredClone(state.counters),
    maxViewerBacklog: () => state.backlog,
    storeStats: () => ({ ...state.store }),
    spoolStats: () => Promise.resolve({ ...state.spool }),
    clientLoad: () => ({ ...state.load }),
    probe: () =>
      Promise.resolve(
        state.probeOk
          ? { ok: true, latencyMs: 1.5, detail: 'probe event delivered' }
          : { ok: false, latencyMs: 0, detail: 'probe event accepted but never delivered' },
      ),
  };
}

export { waitFor } from '../helpers/wait.js';

export function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // burn CPU on purpose
  }
}

/** Burns `ms` of this process's CPU time (however long that takes on a busy machine). */
export function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    for (let i = 0; i < 10_000; i++) Math.sqrt(i);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}
