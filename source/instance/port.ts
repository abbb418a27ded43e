/**
 * Binding the daemon's port: the configured one, or — when it is taken and the user did not choose it —
 * the next free one of the fallback range. And finding who holds a port, so that the error can say.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import type { Server } from 'node:net';
import { ListenError, PortConflictError, errnoOf, type PortOwnerFacts } from '../errors/daemon-errors.js';
import { listeningInodes } from './listener-owner.js';
import type { Logger } from './logger-types.js';

export { listeningInodes } from './listener-owner.js';
import { describeProcess, parseTasklistName, runQuiet } from './process-info.js';

export interface ListenOptions {
  host: string;
  /** 0 binds any free port. */
  port: number;
  /** The user chose the port (flag, env, config file): taken means an error, never a substitute. */
  explicit: boolean;
  range: readonly [number, number];
}

export type PortOwner = PortOwnerFacts;

function tryListen(server: Server, port: number, host: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      resolve(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(null);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host });
  });
}

function boundPort(server: Server, fallback: number): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : fallback;
}

/** The order in which ports are tried: the configured one, then the rest of the range in order. */
export function candidatePorts(port: number, explicit: boolean, range: readonly [number, number]): number[] {
  if (explicit || port === 0) return [port];
  const [lo, hi] = range;
  const rest: number[] = [];
  for (let candidate = lo; candidate <= hi; candidate++) if (candidate !== port) rest.push(candidate);
  return [port, ...rest];
}

/**
 * Binds `server` and returns the port. Throws PortConflictError when an explicit port is taken or the
 * whole range is, ListenError for any other failure (no permission, not a local address).
 */
export async function listen(server: Server, options: ListenOptions, logger: Logger): Promise<number> {
  const { host, port, explicit, range } = options;
  const taken: number[] = [];
  for (const candidate of candidatePorts(port, explicit, range)) {
    const error = await tryListen(server, candidate, host);
    if (error === null) {
      const bound = boundPort(server, candidate);
      if (taken.length > 0)
        logger.warn('configured port was taken; listening on a port of the fallback range', {
          taken: taken.join(','),
          port: bound,
          host,
        });
      return bound;
    }
    if (errnoOf(error) !== 'EADDRINUSE')
      throw new ListenError({ port: candidate, host, errno: errnoOf(error), cause: error });
    if (taken.length === 0) {
      const owner = explicit ? null : await findPortOwner(candidate);
      logger.info('port is in use', {
        port: candidate,
        host,
        ownerPid: owner?.pid ?? null,
        ownerCommand: owner?.command ?? null,
      });
    } else {
      logger.debug('port is in use', { port: candidate, host });
    }
    taken.push(candidate);
  }
  const first = taken[0] ?? port;
  throw new PortConflictError({
    port: first,
    host,
    owner: await findPortOwner(first),
    range: explicit ? undefined : range,
  });
}

/** The first PID in `ss -ltnpH` output (`users:(("node",pid=123,fd=20))`) with its name. */
export function parseSsOwner(output: string): PortOwner | null {
  const match = /users:\(\("([^"]*)",pid=(\d+)/.exec(output);
  return match ? { pid: Number(match[2]), command: match[1] ?? null } : null;
}

/** The PID listening on `port` in `netstat -ano` output (Windows). */
export function parseNetstatOwner(output: string, port: number): number | null {
  for (const line of output.split(/\r?\n/)) {
    const columns = line.trim().split(/\s+/);
    if (columns[0] !== 'TCP' || columns[3] !== 'LISTENING') continue;
    const local = columns[1] ?? '';
    if (local.slice(local.lastIndexOf(':') + 1) === String(port)) {
      const pid = Number(columns[4]);
      if (Number.isInteger(pid) && pid > 0) return pid;
    }
  }
  return null;
}

async function pidOwningInode(inodes: Set<string>, deadline: number): Promise<number | null> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    if (Date.now() > deadline) return null;
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      try {
        const target = await readlink(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

async function ownerFromProc(port: number, deadline: number): Promise<PortOwner | null> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const inode of listeningInodes(await readFile(table, 'utf8'), port)) inodes.add(inode);
    } catch {
      // no IPv6, or no /proc
    }
  }
  if (inodes.size === 0) return null;
  const pid = await pidOwningInode(inodes, deadline);
  return pid === null ? null : { pid, command: (await describeProcess(pid)).command };
}

async function ownerFromLsof(port: number): Promise<PortOwner | null> {
  const out = await runQuiet('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], 1500);
  const pid = Number(out?.trim().split(/\s+/)[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, command: (await describeProcess(pid)).command };
}

/**
 * Best effort: the process listening on `port`, or null when the OS will not tell (another user's
 * process without privileges, no tools). Bounded in time.
 */
export async function findPortOwner(
  port: number,
  platform: NodeJS.Platform = process.platform,
  timeoutMs = 2000,
): Promise<PortOwner | null> {
  const deadline = Date.now() + timeoutMs;
  try {
    if (platform === 'linux') {
      const fromProc = await ownerFromProc(port, deadline);
      if (fromProc) return fromProc;
      const ss = await runQuiet('ss', ['-ltnpH', `sport = :${port}`], 1000);
      const fromSs = ss ? parseSsOwner(ss) : null;
      if (fromSs)
        return { pid: fromSs.pid, command: (await describeProcess(fromSs.pid)).command ?? fromSs.command };
      return await ownerFromLsof(port);
    }
    if (platform === 'darwin') return await ownerFromLsof(port);
    if (platform === 'win32') {
      const pid = parseNetstatOwner((await runQuiet('netstat', ['-ano', '-p', 'TCP'], 1500)) ?? '', port);
      if (pid === null) return null;
      const tasks = await runQuiet('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], 1500);
      return { pid, command: parseTasklistName(tasks ?? '') };
    }
  } catch {
    // best effort only
  }
  return null;
}
