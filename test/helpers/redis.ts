/**
 * A real redis-server for a test: its own temp dir, a unix socket (and, with `tls`, a TLS port on
 * 127.0.0.1), AOF with `appendfsync always`, stopped by its pid, and killed by the watchdog if this
 * process dies first. `kill()` is a kill -9; `start()` again restarts it from its AOF in the same dir
 * (same socket path, same port).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCertificates } from './certs.js';
import { freePort } from './haproxy.js';
import { guardServer } from './watchdog.js';
import { waitFor } from './wait.js';

export interface RedisServer {
  dir: string;
  socket: string;
  /** `unix://…` for store.redis.url; with `tls`, `rediss://127.0.0.1:PORT`. */
  url: string;
  /** The TLS port (0 without `tls`). */
  tlsPort: number;
  pid: () => number;
  start(): Promise<void>;
  /** SIGKILL: no shutdown save, the AOF is what survives. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  remove(): void;
}

export interface RedisOptions {
  /** Serve TLS on a free port with these certificates; `clientCerts: true` asks clients for one. */
  tls?: { certs: TestCertificates; clientCerts?: boolean };
  /** `requirepass`, written to the server's config file (not its command line). */
  password?: string;
}

export function redisAvailable(): boolean {
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((path) => existsSync(path));
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mpm-mon-redis-'));
  const socket = join(dir, 'redis.sock');
  const tlsPort = options.tls ? await freePort() : 0;
  const conf = join(dir, 'redis.conf');
  const settings = [
    'port 0',
    `unixsocket ${socket}`,
    'unixsocketperm 700',
    `dir ${dir}`,
    'appendonly yes',
    'appendfsync always',
    'save ""',
    `logfile ${join(dir, 'redis.log')}`,
  ];
  if (options.password) settings.push(`requirepass ${options.password}`);
  if (options.tls) {
    const { certs, clientCerts = false } = options.tls;
    settings.push(
      `tls-port ${tlsPort}`,
      'bind 127.0.0.1',
      `tls-cert-file ${certs.serverCert}`,
      `tls-key-file ${certs.serverKey}`,
      `tls-ca-cert-file ${certs.ca}`,
      `tls-auth-clients ${clientCerts ? 'yes' : 'no'}`,
    );
  }
  writeFileSync(conf, `${settings.join('\n')}\n`, { mode: 0o600 });
  let child: ChildProcess | null = null;
  let forget = (): void => undefined;
  let exited: Promise<void> = Promise.resolve();
  const listening = (): Promise<boolean> =>
    options.tls
      ? new Promise((resolve) => {
          const probe = createConnection({ host: '127.0.0.1', port: tlsPort });
          probe.once('connect', () => {
            probe.destroy();
            resolve(true);
          });
          probe.once('error', () => resolve(false));
        })
      : Promise.resolve(existsSync(socket));
  const server: RedisServer = {
    dir,
    socket,
    url: options.tls ? `rediss://127.0.0.1:${tlsPort}` : `unix://${socket}`,
    tlsPort,
    pid: () => child?.pid ?? 0,
    async start() {
      rmSync(socket, { force: true });
      const proc = spawn('redis-server', [conf], { stdio: 'ignore' });
      child = proc;
      forget = guardServer(proc.pid!, dir);
      let gone = false;
      exited = new Promise((resolve) =>
        proc.once('exit', () => {
          gone = true;
          forget();
          resolve();
        }),
      );
      await waitFor(
        async () => {
          if (gone) throw new Error(`redis-server exited at start; see ${join(dir, 'redis.log')}`);
          return existsSync(socket) && (await listening());
        },
        'redis-server to listen',
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
