/**
 * Errors of self-monitoring: a health check that threw or hung, and recovery that gave up. Both are
 * logged by the daemon and shown in /diagnostics; neither stops the daemon by itself.
 */
import { MpmError } from './base.js';

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

export type HealthCheckFailure = 'timeout' | 'threw';

/** A health check did not produce a result: it threw, or it did not finish within its timeout. */
export class HealthCheckError extends MpmError {
  readonly check: string;
  readonly reason: HealthCheckFailure;

  constructor(facts: { check: string; reason: HealthCheckFailure; timeoutMs: number; cause?: unknown }) {
    const cause =
      facts.cause instanceof Error
        ? facts.cause.message
        : facts.cause === undefined
          ? ''
          : typeof facts.cause === 'string'
            ? facts.cause
            : describe(facts.cause);
    const message =
      facts.reason === 'timeout'
        ? `health check "${facts.check}" did not finish within ${facts.timeoutMs} ms`
        : `health check "${facts.check}" failed to run: ${cause || 'unknown error'}`;
    super('HEALTH_CHECK_FAILED', message, {
      context: { check: facts.check, reason: facts.reason, timeoutMs: facts.timeoutMs, cause: cause || null },
      steps: [
        facts.reason === 'timeout'
          ? 'The daemon or the machine is overloaded, or a resource the check reads hangs (disk, network).'
          : 'This is a bug or an unexpected environment; the daemon log has the details.',
        'See every check and its history: `mpm-mon doctor` or GET /diagnostics.',
        facts.reason === 'timeout'
          ? 'If the machine is just slow, raise health.checkTimeoutMs (MPM_MON_HEALTH_CHECK_TIMEOUT_MS).'
          : 'Restart the daemon with `mpm-mon restart` if the check keeps failing.',
      ],
      commands: { all: ['mpm-mon doctor', 'mpm-mon status'] },
      cause: facts.cause,
    });
    this.check = facts.check;
    this.reason = facts.reason;
  }
}

/**
 * Recovery failed: one action did not bring the failing checks back, or the circuit breaker opened
 * after repeated failures and the daemon now serves in a degraded state until a trial succeeds.
 */
export class RecoveryFailedError extends MpmError {
  constructor(facts: {
    action: string;
    checks: readonly string[];
    detail: string;
    failures: number;
    breaker: string;
    nextTrialAt?: string | null;
    cause?: unknown;
  }) {
    const open = facts.breaker === 'open';
    const message = open
      ? `recovery gave up after ${facts.failures} failed attempts (last: ${facts.action}); the daemon keeps serving, degraded`
      : `recovery action ${facts.action} did not fix ${facts.checks.join(', ') || 'the failing checks'}: ${facts.detail}`;
    super('RECOVERY_FAILED', message, {
      context: {
        action: facts.action,
        checks: facts.checks,
        detail: facts.detail,
        failures: facts.failures,
        breaker: facts.breaker,
        nextTrialAt: facts.nextTrialAt ?? null,
      },
      steps: [
        'Look at the failing checks and the recovery log: `mpm-mon doctor` or GET /diagnostics.',
        open
          ? `Recovery tries once more ${facts.nextTrialAt ? `at ${facts.nextTrialAt}` : 'after recovery.breaker.resetTimeoutMs'}; to start clean now, run \`mpm-mon restart\`.`
          : 'Recovery escalates on its own (clear connections, restart the service, emergency stop).',
        'Fix what the failing check names (memory, disk, port), or raise its thresholds in the config file if they are too strict.',
      ],
      commands: { all: ['mpm-mon doctor', 'mpm-mon restart'] },
      cause: facts.cause,
    });
  }
}
