/**
 * Is this the daemon? A client proves that the PID file's process is ours and is the daemon that wrote
 * the file before it sends the token or a payload; and who listens on a port, from the kernel's socket
 * tables (Linux /proc/net/tcp, tcp6). Sync, node:fs only: the hook uses it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';

export interface ListeningSocket {
  inode: string;
  uid: number;
}

/** LISTEN rows on `port` in a /proc/net/tcp or tcp6 table. */
export function listeningSockets(table: string, port: number): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of table.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    const local = columns[1];
    const state = columns[3];
    const uid = columns[7];
    const inode = columns[9];
    if (!local || state !== '0A' || !inode || inode === '0' || uid === undefined) continue;
    const hexPort = local.slice(local.lastIndexOf(':') + 1);
    if (parseInt(hexPort, 16) === port) sockets.push({ inode, uid: Number(uid) });
  }
  return sockets;
}

/** Socket inodes of LISTEN sockets on `port` in a /proc/net/tcp or tcp6 table. */
export function listeningInodes(table: string, port: number): string[] {
  return listeningSockets(table, port).map((socket) => socket.inode);
}

/**
 * Parses /proc/PID/stat. The command (field 2) is in parentheses and may itself contain spaces and
 * parentheses, so the fields are counted from the last ')'.
 */
export function parseProcStat(text: string): { state: string; ppid: number; startTime: string } | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // After ')' come field 3 (state), 4 (ppid), … 22 (starttime): index 0 is field 3.
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = fields[0];
  const ppid = Number(fields[1]);
  const startTime = fields[22 - 3];
  if (!state || !Number.isInteger(ppid) || !startTime || !/^\d+$/.test(startTime)) return null;
  return { state, ppid, startTime };
}

export type DaemonVerdict = { ok: true; verified: boolean } | { ok: false; reason: string };

/**
 * Whether process `pid` is the daemon that wrote the PID file: it runs as user `uid` and started at
 * `recordedStartTime` (a reused PID has another start time). That is enough to trust the PID file's
 * port: a daemon holds its port from bind to exit and never releases it in between (restart-service
 * keeps it bound), and no other user can bind a port while it is held. Sync, two small reads of /proc:
 * the hook runs it before every send. Where there is no /proc (macOS, Windows) the answer is ok but
 * unverified.
 */
export function verifyDaemon(pid: number, recordedStartTime: string | null, uid: number): DaemonVerdict {
  let owner: number;
  let stat: string;
  try {
    owner = statSync(`/proc/${pid}`).uid;
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if (!existsSync('/proc/self/stat')) return { ok: true, verified: false };
    return { ok: false, reason: `process ${pid} cannot be inspected: ${(error as Error).message}` };
  }
  if (owner !== uid) return { ok: false, reason: `process ${pid} belongs to another user (uid ${owner})` };
  const startTime = parseProcStat(stat)?.startTime ?? null;
  if (recordedStartTime === null || startTime !== recordedStartTime)
    return {
      ok: false,
      reason: `process ${pid} is not the daemon that wrote the PID file (started at ${startTime ?? 'unknown'}, the file says ${recordedStartTime ?? 'nothing'})`,
    };
  return { ok: true, verified: true };
}
