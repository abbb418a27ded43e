/**
 * Circuit breaker around recovery attempts, as a pure state machine with injected time.
 *
 * Why not opossum: it wraps one promise-returning function and judges it by whether that promise
 * rejects or times out. A recovery attempt is judged later — by the NEXT health run, after the action
 * returned — and the caller must be able to ask "would you allow an attempt?" without side effects.
 * Both fit a few pure functions better than an event-emitting wrapper, and pure functions let every
 * transition be tested with injected time.
 *
 *   closed ──(failureThreshold consecutive failures)──▶ open
 *   open ──(resetTimeoutMs elapsed, tryAcquire)──▶ half-open: exactly one trial in flight
 *   half-open ──success──▶ closed (failures reset)      half-open ──failure──▶ open (new timer)
 *
 * Reading (`breakerSnapshot`, `breakerAllows`) never changes the state; only `tryAcquire` and
 * `recordOutcome` return a new one.
 */
import type { BreakerSnapshot, BreakerStateName } from '../protocol/health.js';

export interface BreakerConfig {
  failureThreshold: number;
  resetTimeoutMs: number;
}

export interface BreakerState {
  readonly name: BreakerStateName;
  /** Consecutive failed attempts. */
  readonly failures: number;
  /** Epoch ms the breaker last opened; null while closed. */
  readonly openedAt: number | null;
}

export const CLOSED_BREAKER: BreakerState = { name: 'closed', failures: 0, openedAt: null };

function trialDueAt(state: BreakerState, config: BreakerConfig): number | null {
  return state.name === 'open' && state.openedAt !== null ? state.openedAt + config.resetTimeoutMs : null;
}

/** True when an attempt would be let through now (closed, or open with its timeout elapsed). */
export function breakerAllows(state: BreakerState, config: BreakerConfig, now: number): boolean {
  if (state.name === 'closed') return true;
  if (state.name === 'half-open') return false; // its one trial is in flight
  return now >= (trialDueAt(state, config) ?? Infinity);
}

/** What the breaker is at `now`: an open breaker whose timeout elapsed reads as half-open. Pure. */
export function breakerSnapshot(state: BreakerState, config: BreakerConfig, now: number): BreakerSnapshot {
  const due = trialDueAt(state, config);
  const name: BreakerStateName = due !== null && now >= due ? 'half-open' : state.name;
  return {
    state: name,
    failures: state.failures,
    nextTrialAt: due === null ? null : new Date(due).toISOString(),
    openedAt: state.openedAt === null ? null : new Date(state.openedAt).toISOString(),
  };
}

/** Asks to run one attempt. Open with its timeout elapsed → half-open, this attempt being the trial. */
export function tryAcquire(
  state: BreakerState,
  config: BreakerConfig,
  now: number,
): { allowed: boolean; state: BreakerState } {
  if (!breakerAllows(state, config, now)) return { allowed: false, state };
  if (state.name === 'open') return { allowed: true, state: { ...state, name: 'half-open' } };
  return { allowed: true, state };
}

/** Records how an allowed attempt ended. */
export function recordOutcome(
  state: BreakerState,
  config: BreakerConfig,
  outcome: 'success' | 'failure',
  now: number,
): BreakerState {
  if (state.name === 'open') return state; // nothing was let through; nothing to judge
  if (outcome === 'success') return CLOSED_BREAKER;
  const failures = state.failures + 1;
  if (state.name === 'half-open' || failures >= config.failureThreshold) {
    return { name: 'open', failures, openedAt: now };
  }
  return { name: 'closed', failures, openedAt: null };
}
