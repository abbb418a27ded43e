/** Events the hook spooled to disk while the daemon was away; the daemon drains them once it runs. */
import { spawn } from 'node:child_process';
import { THRESHOLD_DEFAULTS } from '../../config/schema.js';
import { spoolStats } from '../../store/spool.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome, Repair } from '../types.js';

/** Runs `command` (argv) to completion within `timeoutMs`; resolves with its output, rejects on failure. */
export function runToCompletion(
  command: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = command;
    if (!file) return reject(new Error('no start command'));
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`\`${command.join(' ')}\` did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output.trim());
      else
        reject(
          new Error(
            `\`${command.join(' ')}\` exited with ${code ?? 'a signal'}: ${output.trim().split('\n').at(-1) ?? ''}`,
          ),
        );
    });
  });
}

export async function checkSpool(ctx: DoctorContext, startCommand?: string[]): Promise<CheckOutcome> {
  const base = { name: 'spool', label: 'spool', topic: 'spool' as const };
  const stats = await spoolStats(ctx.paths.spoolDir);
  const cfg = await ctx.config();
  const threshold = cfg.ok
    ? cfg.resolved.config.health.thresholds.spoolBacklog
    : THRESHOLD_DEFAULTS.spoolBacklog;
  const details = { dir: ctx.paths.spoolDir, ...stats, threshold };
  const bad =
    stats.bad > 0 ? `; ${stats.bad} unusable file${stats.bad === 1 ? '' : 's'} set aside in bad/` : '';
  if (stats.files === 0)
    return {
      ...base,
      status: stats.bad > 0 ? 'warn' : 'pass',
      message: `empty${bad}`,
      details,
      ...(stats.bad > 0 ? { fix: `inspect or delete ${ctx.paths.spoolDir}/bad` } : {}),
    };
  const daemon = await ctx.daemon();
  const status = stats.files >= threshold.fail ? 'fail' : 'warn';
  const waiting = `${stats.files} event${stats.files === 1 ? '' : 's'} waiting since ${stats.oldest ?? '?'}`;
  if (daemon.reachable)
    return {
      ...base,
      status,
      message: `${waiting}; the running daemon drains them${bad}`,
      fix: 'wait a few seconds and run doctor again',
      details,
    };
  const repair: Repair | undefined = startCommand
    ? {
        description: 'start the daemon so that it drains the spool',
        gate: 'start',
        run: async () => {
          const output = await runToCompletion(startCommand, ctx.env, 20_000);
          return output.split('\n').at(-1) || 'daemon started';
        },
      }
    : undefined;
  return {
    ...base,
    status,
    message: `${waiting}; no daemon is running to drain them${bad}`,
    fix: 'mpm-mon start (or `mpm-mon doctor --fix --start`)',
    details,
    ...(repair ? { repair } : {}),
  };
}
