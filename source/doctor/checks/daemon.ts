/**
 * The daemon over HTTP: /health and /status answer within the timeout, their verdict, the token
 * works on /diagnostics, and the recovery breaker. Checks that need a reachable daemon say "not
 * checked" — a pass when no daemon is meant to run, a warning when one should be answering.
 */
import { AuthError, DaemonCertificateError, DaemonUnreachableError } from '../../errors/connection-errors.js';
import { daemonUrl } from '../../client/discover.js';
import { isTlsFailure } from '../../client/tls-trust.js';
import { RecoveryFailedError } from '../../errors/health-errors.js';
import { HealthThresholdError } from '../../errors/threshold-error.js';
import type { Topic } from '../../errors/report.js';
import type { CheckResult } from '../../protocol/health.js';
import { formatUptime } from '../../errors/daemon-errors.js';
import type { DoctorContext, DaemonProbe } from '../context.js';
import { isHealthBody } from '../http-probe.js';
import type { CheckOutcome } from '../types.js';

/** The outcome of a check that needs a reachable daemon when there is none. */
function notChecked(base: { name: string; label: string; topic: Topic }, daemon: DaemonProbe): CheckOutcome {
  const expected = daemon.pid !== null;
  return {
    ...base,
    status: expected ? 'warn' : 'pass',
    message: expected ? 'not checked: the daemon does not answer' : 'not checked: no daemon is running',
    details: { skipped: true },
  };
}

export async function checkReachable(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'reachable', label: 'daemon reachable', topic: 'reachability' as const };
  const daemon = await ctx.daemon();
  const { host, port, health, status } = daemon;
  const where = `${host}:${port}`;
  const details = { host, port, from: daemon.from, health: health.kind, status: status.kind, ms: health.ms };
  if (daemon.reachable && health.kind === 'answer' && isHealthBody(health.body)) {
    const statusOk = status.kind === 'answer' && status.status === 200;
    return {
      ...base,
      status: statusOk ? 'pass' : 'warn',
      message: statusOk
        ? `${where} answers /health and /status in ${health.ms} ms (mpm-mon ${health.body.version}, up ${formatUptime(health.body.uptimeSeconds)})`
        : `${where} answers /health but not /status (${status.kind === 'answer' ? `HTTP ${status.status}` : status.kind})`,
      ...(statusOk ? {} : { fix: 'restart the daemon: mpm-mon restart' }),
      details,
    };
  }
  const common = {
    host,
    port,
    pid: daemon.pid ?? undefined,
    timeoutMs: ctx.timeoutMs,
    logFile: ctx.paths.logFile,
  };
  if (health.kind === 'refused') {
    if (daemon.pid === null) {
      const error = new DaemonUnreachableError({ reason: 'not-running', ...common });
      return {
        ...base,
        status: 'warn',
        message: `not running (nothing listens on ${where})`,
        fix: 'mpm-mon start',
        error,
        details,
      };
    }
    const error = new DaemonUnreachableError({ reason: 'refused', ...common });
    return { ...base, status: 'fail', message: error.message, fix: 'mpm-mon restart', error, details };
  }
  if (health.kind === 'timeout') {
    const error = new DaemonUnreachableError({ reason: 'hung', ...common });
    return {
      ...base,
      status: 'fail',
      message: `${where} accepted the connection but did not answer within ${ctx.timeoutMs} ms (hung)`,
      fix: 'mpm-mon restart; if it does not stop, end the process (see the commands)',
      error,
      details,
    };
  }
  if (health.kind === 'answer')
    return {
      ...base,
      status: 'fail',
      message: `${where} answers, but not as mpm-mon (HTTP ${health.status}): another program holds the port`,
      fix: 'see "port"',
      details,
    };
  if (isTlsFailure(health.code)) {
    const error = new DaemonCertificateError({
      url: daemonUrl(daemon),
      code: health.code,
      detail: health.message,
    });
    return { ...base, status: 'fail', message: error.message, fix: error.steps[0], error, details };
  }
  if (health.code === 'SETTING')
    return { ...base, status: 'fail', message: health.message, fix: 'fix the setting it names', details };
  return {
    ...base,
    status: 'fail',
    message: `cannot reach ${where}: ${health.message}`,
    fix: 'check host and port (mpm-mon status)',
    details: { ...details, code: health.code },
  };
}

function worstCheck(checks: Record<string, CheckResult>): CheckResult | null {
  let worst: CheckResult | null = null;
  for (const result of Object.values(checks)) {
    if (result.status === 'fail' && worst?.status !== 'fail') worst = result;
    else if (result.status === 'warn' && worst === null) worst = result;
  }
  return worst;
}

export async function checkHealthVerdict(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'health', label: 'daemon health', topic: 'health' as const };
  const daemon = await ctx.daemon();
  if (!daemon.reachable || daemon.health.kind !== 'answer' || !isHealthBody(daemon.health.body))
    return notChecked(base, daemon);
  const report = daemon.health.body;
  const problems = Object.values(report.checks)
    .filter((result) => result.status !== 'pass')
    .map((result) => `${result.name} ${result.status}`);
  const details = { status: report.status, degraded: report.degraded ?? false, problems };
  if (report.status === 'pass' && !report.degraded)
    return {
      ...base,
      status: 'pass',
      message: `pass (${Object.keys(report.checks).length} checks)`,
      details,
    };
  const worst = worstCheck(report.checks);
  const status = report.status === 'fail' || report.degraded ? 'fail' : 'warn';
  const error = worst
    ? new HealthThresholdError({
        check: worst.name,
        status: worst.status === 'fail' ? 'fail' : 'warn',
        value: worst.observedValue,
        unit: worst.observedUnit,
        threshold: worst.threshold,
        output: worst.output,
        pid: daemon.pid ?? undefined,
        home: ctx.paths.home,
        logFile: ctx.paths.logFile,
      })
    : undefined;
  return {
    ...base,
    status,
    message: `${report.status}${report.degraded ? ' (degraded)' : ''}: ${problems.join(', ') || 'no check named'}`,
    fix: error?.steps[0] ?? 'look at the daemon log',
    error,
    details,
  };
}

export async function checkAuthentication(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'auth', label: 'authentication', topic: 'auth' as const };
  const daemon = await ctx.daemon();
  if (!daemon.reachable) return notChecked(base, daemon);
  if (ctx.token() === null) {
    const error = new AuthError({ problem: 'token-missing', tokenFile: ctx.paths.tokenFile });
    return { ...base, status: 'fail', message: error.message, fix: 'mpm-mon restart', error };
  }
  const answer = await ctx.diagnostics();
  if (answer?.kind === 'answer' && answer.status === 200)
    return { ...base, status: 'pass', message: `the token is accepted (/diagnostics in ${answer.ms} ms)` };
  if (answer?.kind === 'answer' && (answer.status === 401 || answer.status === 403)) {
    const error = new AuthError({
      problem: 'token-rejected',
      tokenFile: ctx.paths.tokenFile,
      status: answer.status,
    });
    return {
      ...base,
      status: 'fail',
      message: error.message,
      fix: 'mpm-mon restart',
      error,
      details: { httpStatus: answer.status },
    };
  }
  return {
    ...base,
    status: 'warn',
    message: `/diagnostics did not answer usefully (${answer === null ? 'not asked' : answer.kind === 'answer' ? `HTTP ${answer.status}` : answer.kind})`,
    fix: 'look at the daemon log',
  };
}

export async function checkRecovery(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'recovery', label: 'breaker and recoveries', topic: 'recovery' as const };
  const daemon = await ctx.daemon();
  if (!daemon.reachable) return notChecked(base, daemon);
  const diagnostics = await ctx.diagnosticsBody();
  const health =
    daemon.health.kind === 'answer' && isHealthBody(daemon.health.body) ? daemon.health.body : null;
  const breaker = diagnostics?.recovery.breaker ?? health?.breaker ?? null;
  const recoveries = diagnostics?.recovery.log ?? [];
  const failed = recoveries.filter(
    (entry) => entry.outcome === 'failed' || entry.outcome === 'skipped-breaker-open',
  );
  const succeeded = recoveries.filter((entry) => entry.outcome === 'succeeded').length;
  const details = { breaker, recoveries: recoveries.length, failed: failed.length, succeeded };
  if (breaker && breaker.state !== 'closed') {
    const error = new RecoveryFailedError({
      action: failed.at(-1)?.action ?? 'automatic recovery',
      checks: failed.at(-1)?.trigger.map((trigger) => trigger.check) ?? [],
      detail: `the circuit breaker is ${breaker.state}`,
      failures: breaker.failures,
      breaker: breaker.state,
      nextTrialAt: breaker.nextTrialAt,
    });
    return {
      ...base,
      status: breaker.state === 'open' ? 'fail' : 'warn',
      message: `the circuit breaker is ${breaker.state} after ${breaker.failures} failed recoveries${breaker.nextTrialAt ? `; next trial at ${breaker.nextTrialAt}` : ''}`,
      fix: 'read the recovery log (mpm-mon doctor --verbose), then mpm-mon restart',
      error,
      details,
    };
  }
  if (failed.length > 0) {
    const last = failed.at(-1)!;
    return {
      ...base,
      status: 'warn',
      message: `${failed.length} recent recover${failed.length === 1 ? 'y' : 'ies'} failed (last: ${last.action} at ${last.at})`,
      fix: 'look at the daemon log for the failing check',
      details,
    };
  }
  if (diagnostics === null && breaker === null)
    return {
      ...base,
      status: 'pass',
      message: 'no breaker state reported (diagnostics not available)',
      details,
    };
  return {
    ...base,
    status: 'pass',
    message: `breaker ${breaker?.state ?? 'closed'}; ${recoveries.length} recovery action${recoveries.length === 1 ? '' : 's'} logged (${succeeded} succeeded)`,
    details,
  };
}
