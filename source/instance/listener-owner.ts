/**
 * Who listens on a port, from the kernel's socket tables (Linux /proc/net/tcp and tcp6): a client
 * proves that the listener on the PID file's port is a socket of the PID file's process and of our
 * user before it sends the token or a payload. Sync, node:fs only and a few reads: the hook uses it.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

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

export type ListenerVerdict = { ok: true; verified: boolean } | { ok: false; reason: string };

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/**
 * Whether the listener on `port` belongs to process `pid` and to user `uid`. Where the kernel does not
 * say (no /proc: macOS, Windows) the answer is ok but unverified.
 */
export function verifyListener(pid: number, port: number, uid: number): ListenerVerdict {
  const sockets: ListeningSocket[] = [];
  let readAny = false;
  for (const table of TABLES) {
    try {
      sockets.push(...listeningSockets(readFileSync(table, 'utf8'), port));
      readAny = true;
    } catch {
      // No IPv6 table, or no /proc at all.
    }
  }
  if (!readAny) return { ok: true, verified: false };
  if (sockets.length === 0) return { ok: false, reason: `nothing listens on port ${port}` };
  const ours = sockets.filter((socket) => socket.uid === uid);
  if (ours.length === 0)
    return { ok: false, reason: `port ${port} is held by another user (uid ${sockets[0]!.uid})` };
  let links: string[];
  try {
    const dir = `/proc/${pid}/fd`;
    links = readdirSync(dir).map((fd) => {
      try {
        return readlinkSync(`${dir}/${fd}`);
      } catch {
        return '';
      }
    });
  } catch {
    return { ok: false, reason: `cannot see the descriptors of process ${pid}: not ours` };
  }
  const held = new Set(links);
  return ours.some((socket) => held.has(`socket:[${socket.inode}]`))
    ? { ok: true, verified: true }
    : { ok: false, reason: `port ${port} is not held by process ${pid}, the one the PID file names` };
}
