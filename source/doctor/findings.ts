/**
 * Doctor's findings: every check run once over facts gathered once, and the troubleshooting report
 * built from them. The one generator behind `mpm-mon doctor` and the TUI's Troubleshoot view, so the
 * two never disagree (hooks included).
 */
import { buildReport, type TroubleshootingReport } from '../errors/report.js';
import { allChecks, type CheckSpec } from './checks/index.js';
import { createContext, type DoctorContext, type DoctorContextOptions } from './context.js';
import { runChecks } from './run.js';
import type { CheckOutcome } from './types.js';

export interface Findings {
  checks: CheckOutcome[];
  report: TroubleshootingReport;
  /** The facts the checks were judged on (paths, platform), for what is said around them. */
  ctx: DoctorContext;
}

export interface FindingsOptions extends DoctorContextOptions {
  /** How `mpm-mon` is run here (instance/invocation.ts): every command in the report is said that way. */
  invoke: string;
  specs?: CheckSpec[];
  /** The report's time (ISO); now when omitted. */
  generatedAt?: string;
}

export function reportFromChecks(
  checks: readonly CheckOutcome[],
  ctx: Pick<DoctorContext, 'platform'>,
  invoke: string,
  generatedAt?: string,
): TroubleshootingReport {
  return buildReport({
    platform: ctx.platform,
    checks: checks.map((check) => ({ ...check, name: check.label })),
    invoke,
    generatedAt,
  });
}

export async function gatherFindings(options: FindingsOptions): Promise<Findings> {
  const ctx = createContext(options);
  const checks = await runChecks(options.specs ?? allChecks(), ctx);
  return { checks, ctx, report: reportFromChecks(checks, ctx, options.invoke, options.generatedAt) };
}
