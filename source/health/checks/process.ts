/**
 * The daemon process itself: CPU, memory, heap, open files, event-loop lag.
 *
 * CPU comes from process.cpuUsage() (getrusage: the kernel's utime+stime for this process, in µs),
 * compared between runs over the wall-clock time between them. That is the figure /proc/self/stat
 * gives on Linux, at finer resolution (µs rather than clock ticks), with no file read, no CLK_TCK
 * assumption, and the same on every platform — and unlike pidusage it neither reports 0 on its first
 * call (the baseline is taken when the check is created) nor keeps a file open per tracked pid.
 */
import { readdir, readlink } from 'node:fs/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { CheckResult } from '../../protocol/health.js';
import type { Config } from '../../config/schema.js';
import type { ClientLoad, HealthCheck } from '../types.js';
import { isoNow, judged } from './result.js';

const MIB = 1024 * 1024;

export interface ProcessCheckOptions {
  thresholds: Config['health']['thresholds'];
  now?: () => number;
  platform?: NodeJS.Platform;
  /** Sampling interval of the event-loop delay monitor (ms). */
  lagResolutionMs?: number;
  /** What clients make the daemon hold, to tell their load from the daemon's own. */
  clientLoad?: () => ClientLoad;
  /** CPU and event-loop lag measured this soon after the check was created are start-up, not judged (ms). */
  startupGraceMs?: number;
}

/**
 * How long after start CPU and event-loop lag are shown but not judged. Start-up loads modules,
 * recovers the journal, drains the spool and replays the sessions: a burst that blocks the loop for a
 * few hundred milliseconds and says nothing about the running daemon (two runs at the default interval).
 */
export const STARTUP_GRACE_MS = 10_000;

interface CpuSample {
  cpuMicros: number;
  wallNanos: bigint;
}

function sampleCpu(): CpuSample {
  const usage = process.cpuUsage();
  return { cpuMicros: usage.user + usage.system, wallNanos: process.hrtime.bigint() };
}

/** CPU % of one core between two samples; null when no wall time passed. */
export function cpuPercentBetween(before: CpuSample, after: CpuSample): number | null {
  const wallMicros = Number(after.wallNanos - before.wallNanos) / 1000;
  if (wallMicros <= 0) return null;
  return ((after.cpuMicros - before.cpuMicros) / wallMicros) * 100;
}

/** Where this process's open descriptors are listed, or null on a platform without such a folder. */
function fdFolder(platform: NodeJS.Platform): string | null {
  if (platform === 'linux') return '/proc/self/fd';
  if (platform === 'darwin') return '/dev/fd';
  return null;
}

/** Open file descriptors of this process, or null when the platform does not say. */
export async function countOpenFiles(platform: NodeJS.Platform = process.platform): Promise<number | null> {
  const folder = fdFolder(platform);
  if (!folder) return null;
  try {
    const entries = await readdir(folder);
    // Reading the folder opens one descriptor of its own, which is listed too.
    return Math.max(0, entries.length - 1);
  } catch {
    return null;
  }
}

/**
 * Open descriptors split into sockets (mostly clients' connections) and the rest (the daemon's own:
 * journal, logs, pipes). Linux only: elsewhere the links cannot be read, and `sockets` is null.
 */
export async function classifyOpenFiles(
  platform: NodeJS.Platform = process.platform,
): Promise<{ total: number; sockets: number | null } | null> {
  const total = await countOpenFiles(platform);
  if (total === null || platform !== 'linux') return total === null ? null : { total, sockets: null };
  try {
    const names = await readdir('/proc/self/fd');
    const targets = await Promise.all(names.map((name) => readlink(`/proc/self/fd/${name}`).catch(() => '')));
    return { total, sockets: targets.filter((target) => target.startsWith('socket:')).length };
  } catch {
    return { total, sockets: null };
  }
}

/** Client load since the last run: replays ran or waited, or connections filled half the limit. */
export function clientLoadCause(before: ClientLoad | null, now: ClientLoad): string | null {
  const replays = now.replaysStarted - (before?.replaysStarted ?? now.replaysStarted);
  const causes: string[] = [];
  if (replays > 0 || now.replaysActive > 0 || now.replaysQueued > 0)
    causes.push(`${Math.max(replays, now.replaysActive)} replays (${now.replaysQueued} waiting)`);
  if (now.connections * 2 >= now.maxConnections) causes.push(`${now.connections} connections`);
  return causes.length === 0 ? null : causes.join(', ');
}

/**
 * A failing measurement taken while clients loaded the daemon is their load, not a daemon fault: it
 * is reported as a warning with the cause, so recovery (which acts on failures only) never acts on it.
 */
export function capForClientLoad(result: CheckResult, cause: string | null): CheckResult {
  if (result.status !== 'fail' || cause === null) return result;
  return {
    ...result,
    status: 'warn',
    output: `${result.output} — clients' load (${cause}), not a daemon fault`,
  };
}

/** A CPU or lag result of the start-up grace: its figure stays, its verdict is pass, and it says why. */
export function graceForStartup(result: CheckResult, inGrace: boolean, graceMs: number): CheckResult {
  if (!inGrace || result.status === 'pass') return result;
  return {
    ...result,
    status: 'pass',
    output: `${result.output} — start-up (the first ${graceMs / 1000} s after start are not judged)`,
  };
}

export function createProcessCheck(options: ProcessCheckOptions): HealthCheck & { close(): void } {
  const now = options.now ?? Date.now;
  const platform = options.platform ?? process.platform;
  const { thresholds } = options;
  const graceMs = options.startupGraceMs ?? 0;
  const createdAt = now();
  // No baseline until the first run: the time before it is start-up (loading modules, recovering the
  // journal), a burst of well over one core that says nothing about the running daemon.
  let lastCpu: CpuSample | null = null;
  let lastLoad: ClientLoad | null = null;
  // 20 ms: each sample is a timer wake-up; at 10 ms the monitor alone cost ~0.5% of a core when idle.
  const resolutionMs = options.lagResolutionMs ?? 20;
  const lag: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMs });
  lag.enable();

  return {
    name: 'process',
    async run(): Promise<CheckResult[]> {
      const files = await classifyOpenFiles(platform);
      const load = options.clientLoad?.() ?? null;
      const cause = load ? clientLoadCause(lastLoad, load) : null;
      lastLoad = load;
      const sockets = files?.sockets ?? null;
      // The daemon's own descriptors are judged; sockets are the clients' and bounded by limits.maxConnections.
      const openFiles = files === null ? null : files.total - (sockets ?? 0);
      const cpu = sampleCpu();
      const cpuPercent = lastCpu ? cpuPercentBetween(lastCpu, cpu) : null;
      const firstRun = lastCpu === null;
      lastCpu = cpu;
      const memory = process.memoryUsage();
      // The delay histogram's max is the longest the loop was blocked since the last run: the latency an
      // event in flight could have suffered. Its p99 can hide a single long block among many samples.
      // Samples include the sampling interval itself (an idle loop reads ~resolution): subtract it.
      const delayMs = (nanos: number): number =>
        lag.count > 0 ? Math.max(0, nanos / 1e6 - resolutionMs) : 0;
      const lagMaxMs = delayMs(lag.max);
      const lagP99Ms = delayMs(lag.percentile(99));
      const lagMeanMs = delayMs(lag.mean);
      lag.reset();
      const time = isoNow(now);
      const inGrace = now() - createdAt < graceMs;
      const startup = (result: CheckResult): CheckResult => graceForStartup(result, inGrace, graceMs);
      return [
        startup(
          capForClientLoad(
            judged(
              {
                name: 'process:cpu',
                value: cpuPercent,
                unit: '%',
                threshold: thresholds.cpuPercent,
                output:
                  cpuPercent === null
                    ? firstRun
                      ? 'baseline taken; measured from the next run'
                      : 'no time passed since the last run'
                    : `${cpuPercent.toFixed(1)}% of one core since the last run`,
              },
              time,
            ),
            cause,
          ),
        ),
        judged(
          {
            name: 'process:memory',
            value: memory.rss / MIB,
            unit: 'MiB',
            threshold: thresholds.memoryMb,
            output: `resident set ${(memory.rss / MIB).toFixed(1)} MiB`,
          },
          time,
        ),
        judged(
          {
            name: 'process:heap',
            value: memory.heapUsed / MIB,
            unit: 'MiB',
            threshold: thresholds.heapMb,
            output: `heap used ${(memory.heapUsed / MIB).toFixed(1)} of ${(memory.heapTotal / MIB).toFixed(1)} MiB`,
          },
          time,
        ),
        judged(
          {
            name: 'process:openFiles',
            value: openFiles,
            unit: 'descriptors',
            threshold: thresholds.openFiles,
            output:
              openFiles === null
                ? `unknown: open descriptors cannot be listed on ${platform}`
                : sockets === null
                  ? `${openFiles} open file descriptors`
                  : `${openFiles} open file descriptors of the daemon's own (sockets not counted)`,
          },
          time,
        ),
        judged(
          {
            name: 'process:sockets',
            value: sockets,
            unit: 'sockets',
            output:
              sockets === null
                ? `unknown: sockets cannot be told from other descriptors on ${platform}`
                : `${sockets} open sockets${load ? `: ${load.connections} client connections held (limits.maxConnections ${load.maxConnections})` : ''}; the clients' load, bounded by the limits`,
          },
          time,
        ),
        startup(
          capForClientLoad(
            judged(
              {
                name: 'process:eventLoopLag',
                value: lagMaxMs,
                unit: 'ms',
                threshold: thresholds.eventLoopLagMs,
                output: `event-loop delay since the last run: max ${lagMaxMs.toFixed(1)} ms, p99 ${lagP99Ms.toFixed(1)} ms, mean ${lagMeanMs.toFixed(1)} ms`,
              },
              time,
            ),
            cause,
          ),
        ),
      ];
    },
    close(): void {
      lag.disable();
    },
  };
}
