/** Runs the checks (each bounded in time, a crash becomes a failed check), and the gated repairs. */
import { topicOfCode } from '../errors/report.js';
import type { CheckSpec } from './checks/index.js';
import type { DoctorContext } from './context.js';
import type { CheckJson, CheckOutcome, DoctorJson, RepairGate, RepairReport } from './types.js';

async function guarded(spec: CheckSpec, ctx: DoctorContext, limitMs: number): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          name: spec.name,
          label: spec.label,
          topic: topicOfCode(undefined),
          status: 'fail',
          message: `the check did not finish within ${limitMs} ms`,
          fix: 'run mpm-mon doctor --verbose again; something on this machine is very slow',
        }),
      limitMs,
    );
  });
  try {
    return await Promise.race([
      spec.run(ctx).catch((error: unknown): CheckOutcome => ({
        name: spec.name,
        label: spec.label,
        topic: 'other',
        status: 'fail',
        message: `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
        details: { stack: error instanceof Error ? error.stack : undefined },
      })),
      limit,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every check, concurrently (they share memoised probes), in the specs' order. */
export function runChecks(specs: CheckSpec[], ctx: DoctorContext): Promise<CheckOutcome[]> {
  const limitMs = Math.max(5000, ctx.timeoutMs * 4);
  return Promise.all(specs.map((spec) => guarded(spec, ctx, limitMs)));
}

export function summarize(checks: CheckOutcome[]): DoctorJson['summary'] {
  return {
    pass: checks.filter((check) => check.status === 'pass').length,
    warn: checks.filter((check) => check.status === 'warn').length,
    fail: checks.filter((check) => check.status === 'fail').length,
  };
}

export function toCheckJson(check: CheckOutcome): CheckJson {
  const details = { ...(check.details ?? {}) };
  if (check.error) details.code = check.error.code;
  return { name: check.name, status: check.status, message: check.message, fix: check.fix ?? null, details };
}

const GATE_FLAGS: Record<Exclude<RepairGate, 'fix'>, string> = { start: '--start', hooks: '--hooks' };

/** Performs each offered repair the flags allow, one after another, and says what happened. */
export async function runRepairs(
  checks: CheckOutcome[],
  allowed: { start: boolean; hooks: boolean },
): Promise<RepairReport[]> {
  const reports: RepairReport[] = [];
  for (const check of checks) {
    const { repair } = check;
    if (!repair || check.status === 'pass') continue;
    if (repair.gate !== 'fix' && !allowed[repair.gate]) {
      reports.push({
        check: check.name,
        description: repair.description,
        outcome: 'skipped',
        message: `add ${GATE_FLAGS[repair.gate]} to allow it`,
      });
      continue;
    }
    try {
      reports.push({
        check: check.name,
        description: repair.description,
        outcome: 'done',
        message: await repair.run(),
      });
    } catch (error) {
      reports.push({
        check: check.name,
        description: repair.description,
        outcome: 'failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return reports;
}
