/**
 * A real haproxy in TCP mode in front of the test's daemons: health checks on GET /health, its config
 * in a temp dir, listening on a free 127.0.0.1 port, stopped by its pid, and killed by the watchdog
 * if this process dies first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guardServer } from './watchdog.js';
import { waitFor } from './wait.js';

export interface Haproxy {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The configuration the README shows, with the test's ports and faster checks. */
export function haproxyConfig(port: number, backends: readonly number[], checkMs = 200): string {
  return [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode tcp',
    '  timeout connect 1s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout tunnel 1h',
    'frontend mpm_mon',
    `  bind 127.0.0.1:${port}`,
    '  default_backend daemons',
    'backend daemons',
    '  balance roundrobin',
    '  option httpchk GET /health',
    `  http-check send hdr Host 127.0.0.1:${port}`,
    '  http-check expect status 200',
    `  default-server inter ${checkMs}ms fall 2 rise 2 on-marked-down shutdown-sessions`,
    ...backends.map((backend, index) => `  server d${index + 1} 127.0.0.1:${backend} check`),
    '',
  ].join('\n');
}

/** `port`: where it listens (chosen first, so the daemons can list it in `allowedHosts`). */
export async function startHaproxy(port: number, backends: readonly number[]): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'mpm-mon-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, backends));
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const forget = guardServer(child.pid!, dir);
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      forget();
      resolve();
    }),
  );
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        if (gone) throw new Error(`haproxy exited at start: ${stderr}`);
        const probe = createServer();
        probe.once('error', () => resolve(true));
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
      }),
    'haproxy to listen',
    10_000,
  );
  return {
    port,
    pid: child.pid!,
    async stop() {
      if (!gone) process.kill(child.pid!, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
