/** The process the PID file names is our daemon: same start time, answers as the daemon, same version. */
import { describeProcess } from '../../instance/process-info.js';
import { formatUptime, uptimeSince } from '../../errors/daemon-errors.js';
import { formatMoment } from '../../protocol/time-text.js';
import { DaemonUnreachableError } from '../../errors/connection-errors.js';
import { VERSION } from '../../protocol/version.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome } from '../types.js';

function statusPid(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const pid = (body as { pid?: unknown }).pid;
  return typeof pid === 'number' ? pid : null;
}

export async function checkDaemonProcess(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'process', label: 'daemon process', topic: 'process' as const };
  const pid = await ctx.pidFile();
  if (!pid.ok || pid.inspection.state !== 'live' || pid.inspection.pid === null)
    return { ...base, status: 'pass', message: 'no daemon process to check', details: { skipped: true } };
  const seen = pid.inspection;
  const livePid = seen.pid!;
  const described = await describeProcess(livePid, ctx.nodePlatform);
  const uptime = uptimeSince(seen.data?.startedAt);
  const details = {
    pid: livePid,
    command: described.command,
    startedAt: seen.data?.startedAt ?? null,
    /** The OS's start time (Linux: clock ticks since boot): identifies the process, is not a time of day. */
    osStartTime: described.startTime,
    recordedOsStartTime: seen.recordedStartTime,
    uptimeSeconds: uptime,
    version: seen.data?.version ?? null,
  };
  const daemon = await ctx.daemon();
  const answeringPid = daemon.status.kind === 'answer' ? statusPid(daemon.status.body) : null;
  if (answeringPid !== null && answeringPid !== livePid)
    return {
      ...base,
      status: 'fail',
      message: `the PID file names pid ${livePid}, but the daemon answering on port ${daemon.port} is pid ${answeringPid}`,
      fix: 'stop both (mpm-mon stop), then start one: mpm-mon start',
      details: { ...details, answeringPid },
    };
  if (!daemon.reachable) {
    const error = new DaemonUnreachableError({
      reason: daemon.health.kind === 'timeout' ? 'hung' : 'refused',
      host: daemon.host,
      port: daemon.port,
      pid: livePid,
      timeoutMs: ctx.timeoutMs,
      logFile: ctx.paths.logFile,
    });
    return {
      ...base,
      status: 'warn',
      message: `pid ${livePid} (${described.command ?? 'unknown command'}) is alive but does not answer as the daemon`,
      fix: 'see "daemon reachable"',
      error,
      details,
    };
  }
  if (seen.legacy || seen.recordedStartTime === null)
    return {
      ...base,
      status: 'warn',
      message: `pid ${livePid} answers, but the PID file has no start time: a reused PID cannot be told apart`,
      fix: 'restart the daemon so that it writes a full PID file: mpm-mon restart',
      details,
    };
  const version = seen.data?.version;
  if (version && version !== VERSION)
    return {
      ...base,
      status: 'warn',
      message: `the daemon runs mpm-mon ${version}, this is ${VERSION}`,
      fix: 'restart it to run this version: mpm-mon restart',
      details,
    };
  return {
    ...base,
    status: 'pass',
    message: `pid ${livePid}, started ${formatMoment(seen.data?.startedAt) ?? 'at an unknown time'}${uptime === null ? '' : ` (up ${formatUptime(uptime)})`}, version ${version ?? '?'}`,
    details,
  };
}
