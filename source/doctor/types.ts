/** The vocabulary of `mpm-mon doctor`: a check, its outcome, and the safe repair it may offer. */
import type { MpmError } from '../errors/base.js';
import type { CheckStatus } from '../protocol/health.js';
import type { Topic } from '../errors/report.js';

/** The one severity vocabulary (protocol/health.ts). */
export type DoctorStatus = CheckStatus;

/** What a repair needs besides `--fix`: starting the daemon (`--start`) or editing Claude Code's settings (`--hooks`). */
export type RepairGate = 'fix' | 'start' | 'hooks';

export interface Repair {
  /** What it will do, as a sentence ("remove the stale PID file …"). */
  description: string;
  gate: RepairGate;
  /** Performs it; resolves with what was done, rejects with why it could not. */
  run(): Promise<string>;
}

export interface CheckOutcome {
  /** Stable id for scripts (`pid-file`, `token`, …). */
  name: string;
  /** Human label for the terminal. */
  label: string;
  topic: Topic;
  status: DoctorStatus;
  /** One line: the finding. */
  message: string;
  /** One line: what to do about it (problems only). */
  fix?: string;
  details?: Record<string, unknown>;
  /** The structured error behind a problem (steps, commands per platform). */
  error?: MpmError;
  repair?: Repair;
}

/** The documented `--json` shape of one check. */
export interface CheckJson {
  name: string;
  status: DoctorStatus;
  message: string;
  fix: string | null;
  details: Record<string, unknown>;
}

export interface RepairReport {
  check: string;
  description: string;
  outcome: 'done' | 'failed' | 'skipped';
  message: string;
}

export interface DoctorJson {
  checks: CheckJson[];
  summary: { pass: number; warn: number; fail: number };
  /** Present with --fix: what was repaired (the checks are those of the run after the repairs). */
  repairs?: RepairReport[];
}
