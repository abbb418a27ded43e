/**
 * A real redis-server for a test: its own temp dir, a unix socket and a free TCP port, AOF with
 * `appendfsync always`, stopped by its pid. `kill()` is a kill -9; `start()` again restarts it from
 * its AOF in the same dir (same socket path).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';

export interface RedisServer {
  dir: string;
  socket: string;
  /** `unix://…` for store.redis.url. */
  url: string;
  pid: () => number;
  start(): Promise<void>;
  /** SIGKILL: no shutdown save, the AOF is what survives. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  remove(): void;
}

export function redisAvailable(): boolean {
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((path) => existsSync(path));
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mpm-mon-redis-'));
  const socket = join(dir, 'redis.sock');
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const server: RedisServer = {
    dir,
    socket,
    url: `unix://${socket}`,
    pid: () => child?.pid ?? 0,
    async start() {
      rmSync(socket, { force: true });
      const proc = spawn(
        'redis-server',
        [
          '--port',
          '0',
          '--unixsocket',
          socket,
          '--unixsocketperm',
          '700',
          '--dir',
          dir,
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--save',
          '',
          '--logfile',
          join(dir, 'redis.log'),
        ],
        { stdio: 'ignore' },
      );
      child = proc;
      let gone = false;
      exited = new Promise((resolve) =>
        proc.once('exit', () => {
          gone = true;
          resolve();
        }),
      );
      await waitFor(
        () => {
          if (gone) throw new Error(`redis-server exited at start; see ${join(dir, 'redis.log')}`);
          return existsSync(socket);
        },
        'redis-server to listen on its socket',
        10_000,
      );
    },
    async kill() {
      if (child?.pid && child.exitCode === null && child.signalCode === null)
        process.kill(child.pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (child?.pid && child.exitCode === null && child.signalCode === null)
        process.kill(child.pid, 'SIGTERM');
      await exited;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
