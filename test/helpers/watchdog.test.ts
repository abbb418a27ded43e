import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { isAlive } from '../../source/instance/alive.js';
import { exited, killChild } from './processes.js';
import { waitFor } from './wait.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/servers-until-killed.ts', import.meta.url));

test('redis-server and haproxy started by a test process that is killed with SIGKILL are gone soon after', async () => {
  const parent = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  parent.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  parent.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let servers: { redis: number; redisDir: string; haproxy: number } | null = null;
  try {
    servers = await waitFor(() => {
      if (parent.exitCode !== null) throw new Error(`the fixture exited: ${err}`);
      const line = out.split('\n')[0];
      return out.includes('\n') && line ? (JSON.parse(line) as typeof servers) : null;
    }, 'the fixture to start its servers');
    assert.ok(isAlive(servers.redis) && isAlive(servers.haproxy), 'both servers run');
    process.kill(parent.pid!, 'SIGKILL');
    await exited(parent);
    const started = Date.now();
    await waitFor(
      () => !isAlive(servers!.redis) && !isAlive(servers!.haproxy),
      'redis-server and haproxy to be gone',
    );
    assert.ok(Date.now() - started < 10_000, `gone within 10 s (took ${Date.now() - started} ms)`);
    await waitFor(() => !existsSync(servers!.redisDir), "redis-server's temp dir to be removed");
  } finally {
    killChild(parent);
    for (const pid of servers ? [servers.redis, servers.haproxy] : []) {
      try {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});
