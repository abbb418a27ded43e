/** The PID file: none, a live daemon, or stale (dead, zombie, PID reused) or unreadable. */
import { removeStalePidFile, staleKindOf } from '../../instance/pidfile.js';
import { silentLogger } from '../../instance/logger-types.js';
import { StaleProcessError } from '../../errors/daemon-errors.js';
import { MpmError } from '../../errors/base.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome, Repair } from '../types.js';

function removalRepair(path: string): Repair {
  return {
    description: `remove the stale PID file ${path}`,
    gate: 'fix',
    run: async () => {
      const seen = await removeStalePidFile(path, silentLogger);
      if (seen.state === 'live') throw new Error(`not removed: pid ${seen.pid ?? '?'} is running now`);
      return `removed ${path} (${seen.reason})`;
    },
  };
}

export async function checkPidFile(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'pid-file', label: 'PID file', topic: 'pidfile' as const };
  const probe = await ctx.pidFile();
  if (!probe.ok)
    return {
      ...base,
      status: 'fail',
      message: probe.error.message,
      fix: probe.error.steps[0],
      error: probe.error,
    };
  const seen = probe.inspection;
  const details = {
    path: seen.path,
    state: seen.state,
    pid: seen.pid,
    recordedStartTime: seen.recordedStartTime,
    actualStartTime: seen.actualStartTime,
  };
  switch (seen.state) {
    case 'absent':
      return { ...base, status: 'pass', message: 'none (no daemon running for this home)', details };
    case 'live':
      return {
        ...base,
        status: 'pass',
        message: `pid ${seen.pid ?? '?'} is running${seen.data ? ` (port ${seen.data.port})` : ''}${seen.legacy ? ', legacy format' : ''}`,
        details,
      };
    case 'invalid': {
      const error = new MpmError(
        'PID_FILE_INVALID',
        `the PID file ${seen.path} is not usable: ${seen.reason}`,
        {
          context: { path: seen.path, reason: seen.reason },
          steps: ['Remove it: `mpm-mon doctor --fix` (the daemon also replaces it when it starts).'],
          commands: { all: ['mpm-mon doctor --fix'] },
        },
      );
      return {
        ...base,
        status: 'warn',
        message: `unusable: ${seen.reason}`,
        fix: 'mpm-mon doctor --fix removes it',
        error,
        details,
        repair: removalRepair(seen.path),
      };
    }
    default: {
      const kind = staleKindOf(seen.state) ?? 'dead';
      const error = new StaleProcessError({
        kind,
        pid: seen.pid ?? 0,
        pidFile: seen.path,
        recordedStartTime: seen.recordedStartTime,
        actualStartTime: seen.actualStartTime,
      });
      return {
        ...base,
        status: 'warn',
        message: `stale (${kind}): ${seen.reason}`,
        fix: 'mpm-mon doctor --fix removes it',
        error,
        details,
        repair: removalRepair(seen.path),
      };
    }
  }
}
