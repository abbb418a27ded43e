/**
 * Errors of the daemon's life cycle: another daemon holds the home, the port is taken, a PID file
 * names a process that is gone, the state directory cannot be written. Each names the facts and
 * says what to type on each platform.
 */
import { formatDuration } from '../protocol/time-text.js';
import { MpmError, errorCodeOf } from './base.js';
import {
  findPortOwnerCommands,
  inspectProcessCommands,
  killProcessCommands,
  perPlatform,
  removeFileCommands,
  showPermissionsCommands,
} from './platform-commands.js';

/** Seconds as "3d 4h", "5m 12s", "42s": short enough for one line of an error. */
export const formatUptime = (seconds: number): string => formatDuration(seconds);

/** Seconds since an ISO time, or null when the time is missing or unreadable. */
export function uptimeSince(startedAt: string | null | undefined, now: number = Date.now()): number | null {
  if (!startedAt) return null;
  const started = Date.parse(startedAt);
  return Number.isNaN(started) ? null : Math.max(0, Math.round((now - started) / 1000));
}

export interface DaemonConflictFacts {
  pid: number;
  /** null for a legacy PID file (a bare number) that does not say. */
  port: number | null;
  host: string | null;
  startedAt: string | null;
  pidFile: string;
  version?: string | null;
}

/** Another daemon is alive and holds this MPM_MON_HOME. Its file and process are left untouched. */
export class DaemonConflictError extends MpmError {
  constructor(facts: DaemonConflictFacts, now: number = Date.now()) {
    const uptimeSeconds = uptimeSince(facts.startedAt, now);
    const where = facts.port === null ? '' : ` on ${facts.host ?? '127.0.0.1'}:${facts.port}`;
    const age = uptimeSeconds === null ? '' : `, up ${formatUptime(uptimeSeconds)}`;
    super('DAEMON_CONFLICT', `another mpm-mon daemon is already running (pid ${facts.pid}${where}${age})`, {
      context: {
        pid: facts.pid,
        port: facts.port,
        host: facts.host,
        startedAt: facts.startedAt || null,
        uptimeSeconds,
        version: facts.version ?? null,
        pidFile: facts.pidFile,
      },
      steps: [
        'Use the running daemon: `mpm-mon` attaches to it, `mpm-mon status` describes it.',
        'To replace it, stop it first with `mpm-mon stop`, then start again.',
        `If \`mpm-mon stop\` cannot stop it, end process ${facts.pid} with the command below.`,
        'To run a second, independent daemon, give it its own MPM_MON_HOME and --port.',
      ],
      commands: {
        all: ['mpm-mon status', 'mpm-mon stop'],
        ...perPlatform((platform) => killProcessCommands(platform, facts.pid, 'polite')),
      },
    });
  }
}

export interface PortOwnerFacts {
  pid: number;
  command: string | null;
}

export interface PortConflictFacts {
  port: number;
  host: string;
  owner: PortOwnerFacts | null;
  /** Set when every port of the fallback range was tried. */
  range?: readonly [number, number];
  cause?: unknown;
}

/** The port is taken: explicitly chosen by the user, or every port of the fallback range. */
export class PortConflictError extends MpmError {
  constructor(facts: PortConflictFacts) {
    const { port, host, owner, range } = facts;
    const by = owner ? ` by pid ${owner.pid}${owner.command ? ` (${owner.command})` : ''}` : '';
    const message = range
      ? `no free port on ${host} in the range ${range[0]}-${range[1]} (port ${port} is in use${by})`
      : `port ${port} on ${host} is already in use${by}`;
    super('PORT_CONFLICT', message, {
      context: {
        port,
        host,
        ownerPid: owner?.pid ?? null,
        ownerCommand: owner?.command ?? null,
        range: range ? `${range[0]}-${range[1]}` : null,
      },
      steps: [
        owner
          ? `Stop the program that holds the port (pid ${owner.pid}) if you do not need it.`
          : 'Find the program that holds the port with the commands below and stop it if you do not need it.',
        'Or choose another port: --port <n>, the MPM_MON_PORT environment variable, or "port" in the config file.',
        range
          ? 'Or widen "portRange" in the config file.'
          : 'Or set no port at all and let mpm-mon pick a free one from "portRange".',
      ],
      commands: perPlatform((platform) => [
        ...findPortOwnerCommands(platform, port),
        ...(owner ? inspectProcessCommands(platform, owner.pid) : []),
      ]),
      cause: facts.cause,
    });
  }
}

/** The port could not be bound for another reason than "in use" (no permission, not a local address). */
export class ListenError extends MpmError {
  constructor(facts: { port: number; host: string; errno: string; cause?: unknown }) {
    const why =
      facts.errno === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges)'
        : facts.errno === 'EADDRNOTAVAIL'
          ? 'the host is not an address of this machine'
          : facts.errno === 'ENOTFOUND' || facts.errno === 'EAI_AGAIN'
            ? 'the host name does not resolve'
            : facts.errno;
    super('LISTEN_FAILED', `cannot listen on ${facts.host}:${facts.port}: ${why}`, {
      context: { port: facts.port, host: facts.host, errno: facts.errno },
      steps: [
        'Use a port above 1024 with --port / MPM_MON_PORT / "port" in the config file.',
        'Use a local address for --host / MPM_MON_HOST / "host" (the default 127.0.0.1 always works).',
      ],
      commands: { all: ['mpm-mon doctor'] },
      cause: facts.cause,
    });
  }
}

export type StaleKind = 'dead' | 'zombie' | 'reused';

export interface StaleProcessFacts {
  kind: StaleKind;
  pid: number;
  pidFile: string;
  recordedStartTime?: string | null;
  actualStartTime?: string | null;
}

/** A PID file names a process that is no longer our daemon. For `doctor` and for the log. */
export class StaleProcessError extends MpmError {
  readonly kind: StaleKind;

  constructor(facts: StaleProcessFacts) {
    const { kind, pid, pidFile } = facts;
    const message =
      kind === 'dead'
        ? `the PID file names pid ${pid}, which is no longer running`
        : kind === 'zombie'
          ? `the PID file names pid ${pid}, which has exited but was not reaped by its parent (zombie)`
          : `the PID file names pid ${pid}, which now belongs to another process (its start time differs)`;
    super('STALE_PROCESS', message, {
      context: {
        kind,
        pid,
        pidFile,
        recordedStartTime: facts.recordedStartTime ?? null,
        actualStartTime: facts.actualStartTime ?? null,
      },
      steps: [
        'The daemon that wrote the PID file is gone; the file is safe to remove.',
        '`mpm-mon doctor --fix` removes it, and `mpm-mon start` removes it on its own when it starts.',
        ...(kind === 'zombie'
          ? ['The zombie goes away when its parent process (PPID in `ps`) exits or reaps it.']
          : []),
        ...(kind === 'reused' ? [`Do not kill pid ${pid}: it is another program now.`] : []),
      ],
      commands: {
        all: ['mpm-mon doctor --fix', 'mpm-mon start'],
        ...perPlatform((platform) => [
          // ps shows the state (Z for a zombie), the parent and the start time (a reused PID's differs).
          ...(kind === 'dead' ? [] : inspectProcessCommands(platform, pid)),
          ...removeFileCommands(platform, pidFile),
        ]),
      },
    });
    this.kind = kind;
  }
}

/** This daemon's PID file was removed or replaced by someone else while it ran. */
export class PidFileLostError extends MpmError {
  constructor(facts: { path: string; pid: number }) {
    super(
      'PID_FILE_LOST',
      `the PID file ${facts.path} no longer belongs to this daemon (pid ${facts.pid}): it was removed or replaced`,
      {
        context: { path: facts.path, pid: facts.pid },
        steps: [
          'Another process removed or replaced the PID file; two daemons may now share this home.',
          'Check which daemon answers with `mpm-mon status`, stop the extra one, and start again.',
        ],
        commands: { all: ['mpm-mon status', 'mpm-mon stop', 'mpm-mon start'] },
      },
    );
  }
}

/** The state directory (MPM_MON_HOME) or a file in it cannot be created or written. */
export class StateDirError extends MpmError {
  constructor(facts: { path: string; operation: string; errno: string; cause?: unknown }) {
    super('STATE_DIR_UNWRITABLE', `cannot ${facts.operation} ${facts.path}: ${facts.errno}`, {
      context: { path: facts.path, operation: facts.operation, errno: facts.errno },
      steps: [
        'Check that the directory exists and that your user owns it and may write to it.',
        'Or point MPM_MON_HOME at a directory you own.',
      ],
      commands: {
        all: ['mpm-mon doctor'],
        ...perPlatform((platform) => showPermissionsCommands(platform, facts.path)),
      },
      cause: facts.cause,
    });
  }
}

export function errnoOf(error: unknown): string {
  return errorCodeOf(error) ?? 'UNKNOWN';
}
