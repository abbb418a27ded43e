/**
 * What an error means beyond its one-line message, and how bad it is. Optional on any MpmError: the
 * troubleshooting report reads these when present and falls back to the error's context otherwise.
 */
import type { CheckStatus } from '../protocol/health.js';
import type { MpmError } from './base.js';

/** How bad a problem is, in the one severity vocabulary (a problem is never a `pass`). */
export type Severity = Exclude<CheckStatus, 'pass'>;

export interface Guidance {
  /** A sentence or two: what this means for the user, in plain words. */
  readonly explanation?: string;
  /** How the report ranks it when nothing else says (a failed doctor check overrides it). */
  readonly severity?: Severity;
}

export function explanationOf(error: MpmError): string | undefined {
  const { explanation } = error as MpmError & Guidance;
  return typeof explanation === 'string' && explanation !== '' ? explanation : undefined;
}

export function severityOf(error: MpmError): Severity {
  return (error as MpmError & Guidance).severity === 'warn' ? 'warn' : 'fail';
}
