/**
 * A measured value over its warn or fail threshold (from the daemon's health checks or doctor's own
 * probes): what it means for that check, what to do, and the commands that show more.
 */
import { MpmError, type Platform } from './base.js';
import type { Guidance, Severity } from './guidance.js';
import {
  diskSpaceCommands,
  inspectProcessCommands,
  openFilesCommands,
  perPlatform,
  viewLogsCommands,
} from './platform-commands.js';

interface CheckAdvice {
  meaning: string;
  steps: string[];
  commands?: (platform: Platform, facts: { pid?: number; home?: string }) => string[];
}

const RESTART = 'Restart the daemon: `mpm-mon restart` (viewers reconnect and replay what they missed).';
const ADVICE: Record<string, CheckAdvice> = {
  memoryMb: {
    meaning: 'The daemon uses more memory than allowed; it keeps events.ringSize events in memory.',
    steps: [RESTART, 'Lower events.ringSize or health.historySize if it grows back.'],
    commands: (platform, { pid }) => (pid ? inspectProcessCommands(platform, pid) : []),
  },
  heapMb: {
    meaning: 'The JavaScript heap is larger than allowed: something is retained in memory.',
    steps: [RESTART, 'Lower events.ringSize; many slow viewers also hold backlog in memory.'],
  },
  cpuPercent: {
    meaning: 'The daemon is busy: many events per second, many viewers, or a loop gone wrong.',
    steps: ['Check the event rate in `mpm-mon status`.', RESTART],
    commands: (platform, { pid }) => (pid ? inspectProcessCommands(platform, pid) : []),
  },
  openFiles: {
    meaning:
      'The daemon holds many file descriptors (sockets and files); at the limit it cannot accept more.',
    steps: [
      'Close viewers you do not need.',
      RESTART,
      'Raise the limit (ulimit -n) for the daemon if it is legitimately busy.',
    ],
    commands: (platform, { pid }) => openFilesCommands(platform, pid),
  },
  eventLoopLagMs: {
    meaning: 'The daemon answers late: its event loop is blocked or saturated.',
    steps: ['Look at the log for slow operations.', RESTART],
  },
  errorRate: {
    meaning: 'Many requests end in errors (rejected or invalid events).',
    steps: ['Look at the log for the errors.', 'Check that hooks run `mpm-mon hook` of the same version.'],
  },
  probeLatencyMs: {
    meaning: "The daemon's own HTTP probe is slow: everything that talks to it is slowed down.",
    steps: ['Look at the log.', RESTART],
  },
  deliveryBacklog: {
    meaning: 'Viewers are not keeping up: events wait in memory for them.',
    steps: [
      'Close slow viewers (an SSH session over a slow link).',
      'Lower viewers.maxBacklog to drop laggards sooner.',
    ],
  },
  diskFreeMb: {
    meaning:
      'The disk that holds the journal is nearly full; when it is full, events can no longer be stored.',
    steps: ['Free space on that volume.', 'Lower journal.maxBytes so that less history is kept.'],
    commands: (platform, { home }) => (home ? diskSpaceCommands(platform, home) : []),
  },
  spoolBacklog: {
    meaning: 'Hooks have spooled events to disk because the daemon was not reachable.',
    steps: ['Start the daemon so that it drains the spool: `mpm-mon start`.'],
  },
  corruptLines: {
    meaning: 'Some journal lines cannot be read (a crash mid-write, or the disk); those events are skipped.',
    steps: ['Run `mpm-mon doctor --verbose` to see which files and lines.', 'Check free disk space.'],
  },
};

const DEFAULT_ADVICE: CheckAdvice = {
  meaning: 'A daemon health check is outside its allowed range.',
  steps: ['Look at the daemon log.', RESTART],
};

function formatThreshold(threshold: { warn: number; fail: number } | null, unit: string): string {
  return threshold ? `warn at ${threshold.warn}${unit}, fail at ${threshold.fail}${unit}` : 'no threshold';
}

/** A health check of the daemon (or of doctor) is over its warn or fail threshold. */
export class HealthThresholdError extends MpmError implements Guidance {
  readonly explanation: string;
  readonly severity: Severity;

  constructor(input: {
    check: string;
    status: 'warn' | 'fail';
    value: number | null;
    unit?: string;
    threshold: { warn: number; fail: number } | null;
    output?: string;
    pid?: number;
    home?: string;
    logFile?: string;
  }) {
    const unit = input.unit ?? '';
    const shownUnit = unit && unit !== 'count' ? ` ${unit}` : '';
    const advice = ADVICE[input.check] ?? DEFAULT_ADVICE;
    super(
      'HEALTH_THRESHOLD_EXCEEDED',
      `health check ${input.check} is ${input.status === 'fail' ? 'failing' : 'warning'}: ${
        input.value === null ? 'no value' : `${input.value}${shownUnit}`
      } (${formatThreshold(input.threshold, shownUnit)})`,
      {
        context: {
          check: input.check,
          status: input.status,
          value: input.value,
          unit,
          threshold: input.threshold,
          output: input.output,
          pid: input.pid,
        },
        steps: [...advice.steps, 'Run `mpm-mon doctor` after the change.'],
        commands: {
          all: ['mpm-mon status'],
          ...perPlatform((platform) => [
            ...(advice.commands?.(platform, { pid: input.pid, home: input.home }) ?? []),
            ...(input.logFile ? viewLogsCommands(platform, input.logFile) : []),
          ]),
        },
      },
    );
    this.severity = input.status;
    this.explanation = advice.meaning;
  }
}
