/** The daemon's port: free, ours, or held by another program (named when the OS will tell). */
import { findPortOwner } from '../../instance/port.js';
import { PortConflictError } from '../../errors/daemon-errors.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome } from '../types.js';

export async function checkPort(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'port', label: 'port', topic: 'port' as const };
  const daemon = await ctx.daemon();
  const { host, port } = daemon;
  const where = `${host}:${port}`;
  const details: Record<string, unknown> = { host, port, from: daemon.from };
  // A daemon on another machine: its port is not this machine's to judge ("daemon reachable" is).
  if (daemon.from === 'url')
    return { ...base, status: 'pass', message: `not checked: the daemon runs at ${where} (url)`, details };
  if (daemon.health.kind === 'refused') {
    if (daemon.pid !== null)
      return {
        ...base,
        status: 'warn',
        message: `nothing listens on ${where}, though daemon pid ${daemon.pid} is alive`,
        fix: 'see "daemon reachable"',
        details,
      };
    return { ...base, status: 'pass', message: `${where} is free`, details };
  }
  if (daemon.reachable && daemon.pid !== null)
    return { ...base, status: 'pass', message: `${where} is the daemon's (pid ${daemon.pid})`, details };

  const owner = await findPortOwner(port, ctx.nodePlatform, Math.max(500, ctx.timeoutMs));
  details.ownerPid = owner?.pid ?? null;
  details.ownerCommand = owner?.command ?? null;
  if (daemon.reachable) {
    // Something answers like mpm-mon, but not the daemon of this MPM_MON_HOME.
    return {
      ...base,
      status: 'warn',
      message: `an mpm-mon daemon${owner ? ` (pid ${owner.pid})` : ''} answers on ${where}, but this MPM_MON_HOME has no live PID file`,
      fix: 'it belongs to another MPM_MON_HOME: set the same MPM_MON_HOME, or stop it',
      details,
    };
  }
  if (owner !== null && daemon.pid !== null && owner.pid === daemon.pid)
    return { ...base, status: 'pass', message: `${where} is held by the daemon (pid ${owner.pid})`, details };

  const cfg = await ctx.config();
  const explicit = cfg.ok && cfg.resolved.sources.port !== 'default';
  const error = new PortConflictError({ port, host, owner });
  const by = owner ? `pid ${owner.pid}${owner.command ? ` (${owner.command})` : ''}` : 'another program';
  if (daemon.pid !== null || explicit)
    return {
      ...base,
      status: 'fail',
      message: `${where} is held by ${by}${daemon.pid !== null ? `, not by the daemon (pid ${daemon.pid})` : ''}`,
      fix: owner
        ? `stop pid ${owner.pid}, or choose another port (--port, MPM_MON_PORT)`
        : 'find and stop it, or choose another port',
      error,
      details,
    };
  const range = cfg.ok ? cfg.resolved.config.portRange : [8765, 8785];
  return {
    ...base,
    status: 'warn',
    message: `${where} is held by ${by}; the daemon will use another port of ${range[0]}-${range[1]}`,
    fix: 'set a port of your own to avoid the search: MPM_MON_PORT or "port" in the config file',
    error,
    details,
  };
}
