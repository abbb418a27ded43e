import type { HealthReport } from '../../source/protocol/health.js';

export function healthReport(
  status: 'pass' | 'warn' | 'fail',
  memoryMb: number,
  time = '2025-06-01T10:00:00.000Z',
): HealthReport {
  return {
    status,
    version: '0.1.0',
    uptimeSeconds: 3600,
    checks: {
      memoryMb: {
        name: 'memoryMb',
        status,
        observedValue: memoryMb,
        observedUnit: 'MB',
        threshold: { warn: 300, fail: 800 },
        output: status === 'pass' ? '' : `resident memory ${memoryMb} MB is above the ${status} level`,
        time,
      },
      eventLoopLagMs: {
        name: 'eventLoopLagMs',
        status: 'pass',
        observedValue: 2.5,
        observedUnit: 'ms',
        threshold: { warn: 100, fail: 1000 },
        output: '',
        time,
      },
    },
    breaker: { state: 'closed', failures: 0, nextTrialAt: null, openedAt: null },
  };
}

/** Lets React 19 and Ink apply an update (after a render or a key press). */
export function tick(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
