/** Where the daemon listens and the token to show it, from `$MPM_MON_HOME` alone (no config, no conf). */
import { readFile } from 'node:fs/promises';
import { homePaths, resolveHome } from '../config/home.js';
import { parsePidFile } from '../protocol/pidfile.js';

export interface DaemonAddress {
  pid: number;
  host: string;
  port: number;
  token: string;
}

export type DaemonLookup =
  | { ok: true; address: DaemonAddress }
  | { ok: false; reason: 'no_pid_file' | 'pid_file_invalid' | 'not_running' | 'no_token' };

/** Wildcard listen addresses are reached through loopback. */
export function connectHost(listenHost: string): string {
  if (listenHost === '0.0.0.0' || listenHost === '') return '127.0.0.1';
  if (listenHost === '::' || listenHost === '[::]') return '::1';
  return listenHost;
}

/** `host:port` as it goes into a URL or a Host header (IPv6 literals in brackets). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function findDaemon(env: NodeJS.ProcessEnv = process.env): Promise<DaemonLookup> {
  const paths = homePaths(resolveHome(env));
  const pidText = await readFile(paths.pidFile, 'utf8').catch(() => null);
  if (pidText === null) return { ok: false, reason: 'no_pid_file' };
  const parsed = parsePidFile(pidText);
  // A legacy bare-PID file says nothing about the port.
  if (parsed.kind !== 'full') return { ok: false, reason: 'pid_file_invalid' };
  // A stale PID file may name a port some other program now owns: never send it our token.
  if (!isAlive(parsed.data.pid)) return { ok: false, reason: 'not_running' };
  const token = (await readFile(paths.tokenFile, 'utf8').catch(() => '')).trim();
  if (token === '') return { ok: false, reason: 'no_token' };
  return {
    ok: true,
    address: { pid: parsed.data.pid, host: connectHost(parsed.data.host), port: parsed.data.port, token },
  };
}
