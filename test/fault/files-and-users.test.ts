/**
 * Who may talk to whom, and files not trusted blindly (issue: a 0755 home left the journal readable,
 * links were followed, a FIFO blocked the hook and the spool drain, garbage was kept verbatim, clients
 * sent the token to any listener on the PID file's port, and a listener restart freed the port for
 * another user). Real daemons, the real hook, real files; the other user is `nobody`, which needs
 * root to become: those cases are skipped with a message otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { httpHandler } from '../../source/claude/settings.js';
import { parseProcStat } from '../../source/instance/daemon-identity.js';
import { spoolFileName } from '../../source/store/spool.js';
import { connectViewer, http } from '../e2e/harness.js';
import { hookPayload } from '../helpers/events.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { runCli, startDaemon, type DaemonProcess } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const daemon of daemons) await daemon.stop('SIGKILL');
});

function nobody(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const [uid, gid] = execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim().split(' ');
    const group = execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim();
    return { uid: Number(uid), gid: Number(gid ?? group) };
  } catch {
    return null;
  }
}
const OTHER = nobody();
const AS_NOBODY = OTHER ? false : 'needs root to run a process as `nobody` (the other local user)';

const modeOf = (path: string): number => fs.statSync(path).mode & 0o777;

test('a home of mode 0755 with a world-readable journal is tightened to 0700/0600 at start, with a log line', async () => {
  const h = home();
  fs.chmodSync(h.path, 0o755);
  fs.mkdirSync(join(h.path, 'journal'), { mode: 0o755 });
  fs.writeFileSync(join(h.path, 'journal', '00000000000000000001.ndjson'), '', { mode: 0o644 });
  const daemon = await startDaemon(h);
  daemons.push(daemon);
  assert.equal(modeOf(h.path), 0o700);
  assert.equal(modeOf(join(h.path, 'journal')), 0o700);
  assert.equal(modeOf(join(h.path, 'journal', '00000000000000000001.ndjson')), 0o600);
  assert.equal(modeOf(join(h.path, 'token')), 0o600);
  assert.equal(modeOf(join(h.path, 'daemon.pid')) & 0o077, 0, 'the PID file is not readable by others');
  assert.match(daemon.stderr(), /MPM_MON_HOME was open to other users; restricted it to its owner/);
  assert.equal(await daemon.stop(), 0);
});

test('a symlinked token or journal segment is refused with a clear error, never followed', () => {
  for (const where of ['token', join('journal', '00000000000000000001.ndjson')]) {
    const h = home();
    const outside = join(h.path, '..', `outside-${process.pid}-${where.length}`);
    fs.writeFileSync(outside, '');
    fs.mkdirSync(join(h.path, 'journal'), { recursive: true, mode: 0o700 });
    fs.symlinkSync(outside, join(h.path, where));
    const run = runCli(h, ['--daemon', '--port', '0']);
    fs.rmSync(outside, { force: true });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /symbolic link/);
    assert.match(run.stderr, new RegExp(where.replace(/[/.]/g, '\\$&')));
  }
});

test('a home owned by another user is refused with a clear error', { skip: AS_NOBODY }, () => {
  const h = home();
  fs.chownSync(h.path, OTHER!.uid, OTHER!.gid);
  const run = runCli(h, ['--daemon', '--port', '0']);
  fs.chownSync(h.path, 0, 0);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /belongs to another user/);
  assert.equal(fs.existsSync(join(h.path, 'daemon.pid')), false);
});

test('a FIFO as daemon.pid or token never blocks `mpm-mon hook`: it exits 0 at once and spools', async () => {
  // For the token case the PID file must hold up (this process, listening), so the token is reached.
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  after(() => server.close());
  for (const name of ['daemon.pid', 'token']) {
    const h = home();
    if (name === 'token')
      fs.writeFileSync(
        join(h.path, 'daemon.pid'),
        JSON.stringify({
          pid: process.pid,
          port,
          host: '127.0.0.1',
          startedAt: new Date().toISOString(),
          processStartTime: parseProcStat(fs.readFileSync('/proc/self/stat', 'utf8'))?.startTime ?? null,
          version: '0.1.0',
          nodeVersion: process.version,
          argv: [],
        }),
      );
    execFileSync('mkfifo', [join(h.path, name)]);
    const started = performance.now();
    const run = runCli(h, ['hook'], JSON.stringify(hookPayload(1, `fifo-${name}`)));
    const ms = performance.now() - started;
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    assert.ok(ms < 5000, `returned in ${Math.round(ms)} ms`);
    const spooled = fs.readdirSync(join(h.path, 'spool')).filter((file) => file.endsWith('.json'));
    assert.equal(spooled.length, 1, `${name}: the payload is spooled`);
  }
});

test('a FIFO and a folder in spool/ never stop the drain; garbage is kept scrubbed; SIGTERM still stops it', async () => {
  const h = home();
  const spool = join(h.path, 'spool');
  fs.mkdirSync(spool, { recursive: true, mode: 0o700 });
  const now = Date.now();
  execFileSync('mkfifo', [join(spool, spoolFileName(now - 3000, 10))]);
  fs.mkdirSync(join(spool, spoolFileName(now - 2000, 10)));
  const secret = 'ghp_R4nd0mSecretValue0123456789abcdefABCD';
  fs.writeFileSync(join(spool, spoolFileName(now - 1000, 10)), `not json, token=${secret}`, { mode: 0o600 });
  const good = JSON.stringify(hookPayload(7, 'spooled-after-fifo'));
  fs.writeFileSync(
    join(spool, spoolFileName(now, good.length)),
    JSON.stringify({ v: 1, source: 'hook', spooledAt: now, payload: good }),
    { mode: 0o600 },
  );
  const daemon = await startDaemon(h);
  daemons.push(daemon);
  const viewer = await connectViewer(daemon.port, { token: daemon.token, since: 0 });
  await waitFor(
    () => viewer.events.some((event) => event.sessionId === 'spooled-after-fifo'),
    'the payload after the FIFO and the folder to be delivered',
    10_000,
  );
  viewer.close();
  const bad = fs.readdirSync(join(spool, 'bad'));
  assert.equal(bad.length, 3, `FIFO, folder and garbage set aside: ${bad.join(', ')}`);
  for (const name of bad) {
    const path = join(spool, 'bad', name);
    if (fs.lstatSync(path).isFile())
      assert.ok(!fs.readFileSync(path, 'utf8').includes(secret), 'no secret kept');
  }
  const stopped = performance.now();
  assert.equal(await daemon.stop('SIGTERM'), 0);
  assert.ok(performance.now() - stopped < 5000, 'SIGTERM works');
});

/** A listener of user `nobody` that records whatever a client sends it. */
async function foreignListener(): Promise<{ port: number; pid: number; received: () => string }> {
  const script = `
    const net = require('net');
    const server = net.createServer((socket) => socket.on('data', (d) => process.stderr.write(d)));
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', script], {
    uid: OTHER!.uid,
    gid: OTHER!.gid,
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let received = '';
  child.stderr.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  return { port, pid: child.pid!, received: () => received };
}

test(
  "the hook never sends the token to another user's listener named by the PID file (live PID, foreign port)",
  { skip: AS_NOBODY },
  async () => {
    const foreign = await foreignListener();
    const h = home();
    const token = 'a'.repeat(64);
    fs.writeFileSync(join(h.path, 'token'), `${token}\n`, { mode: 0o600 });
    // The PID file names the foreign process and its port (a reused PID), then this process (a port taken).
    for (const pid of [foreign.pid, process.pid]) {
      fs.writeFileSync(
        join(h.path, 'daemon.pid'),
        JSON.stringify({
          pid,
          port: foreign.port,
          host: '127.0.0.1',
          startedAt: new Date().toISOString(),
          processStartTime: null,
          version: '0.1.0',
          nodeVersion: process.version,
          argv: [],
        }),
        { mode: 0o600 },
      );
      const run = runCli(h, ['hook'], JSON.stringify(hookPayload(1, 'secret-payload')));
      assert.equal(run.code, 0);
    }
    const spooled = fs.readdirSync(join(h.path, 'spool')).filter((file) => file.endsWith('.json'));
    assert.equal(spooled.length, 2, 'both payloads spooled instead');
    assert.equal(foreign.received(), '', 'the foreign listener received nothing: no token, no payload');
  },
);

test(
  'restart-service keeps the port bound: another user cannot take it, and the daemon ends with a documented code, PID file removed',
  { skip: AS_NOBODY },
  async () => {
    const h = home();
    h.writeConfig({
      health: { intervalMs: 200, hysteresisRuns: 1, thresholds: { memoryMb: { warn: 1, fail: 2 } } },
      recovery: { cooldownMs: 1500, breaker: { failureThreshold: 50, resetTimeoutMs: 600_000 } },
    });
    const daemon = await startDaemon(h);
    daemons.push(daemon);
    // `nobody` tries to bind the daemon's port every few ms for as long as the daemon lives.
    const grabber = spawn(
      process.execPath,
      [
        '-e',
        `const net=require('net');let tries=0;const again=()=>{tries++;const s=net.createServer();
       s.once('error',()=>setTimeout(again,2));s.listen(${daemon.port},'127.0.0.1',()=>{console.log(Date.now());process.exit(0)})};
       again();setInterval(()=>process.stderr.write(tries+'\\n'),200);`,
      ],
      { uid: OTHER!.uid, gid: OTHER!.gid, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(grabber);
    let grabbed = '';
    grabber.stdout.on('data', (chunk: Buffer) => (grabbed += chunk.toString()));
    await waitFor(
      async () => {
        const answer = await http(daemon.port, 'GET', '/diagnostics', { token: daemon.token }).catch(
          () => null,
        );
        const log = (answer?.body?.recovery?.log ?? []) as Array<{ action: string; outcome: string }>;
        return log.some((entry) => entry.action === 'restart-service' && entry.outcome !== 'pending');
      },
      'restart-service to run',
      20_000,
    );
    const code = await daemon.exited;
    const exitedAt = Date.now();
    grabber.kill('SIGKILL');
    // The emergency stop (1.5 s of cool-down after restart-service) frees the port, of course; the
    // restart before it never does.
    const grabbedAt = grabbed.trim() === '' ? Infinity : Number(grabbed.trim());
    assert.ok(
      grabbedAt >= exitedAt - 1000,
      `the port was free while the daemon lived (taken ${exitedAt - grabbedAt} ms before it exited)`,
    );
    assert.ok(code === 0 || code === 75, `a documented exit code: ${code}`);
    assert.equal(fs.existsSync(join(h.path, 'daemon.pid')), false, 'no PID file left behind');
  },
);

test('with http hooks installed for a port that is taken, the daemon refuses to start instead of moving to another port', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as net.AddressInfo;
  try {
    const h = home();
    const claude = join(h.path, 'claude-config');
    fs.mkdirSync(claude);
    fs.writeFileSync(
      join(claude, 'settings.json'),
      JSON.stringify({ hooks: { PostToolUse: [{ matcher: '*', hooks: [httpHandler('127.0.0.1', port)] }] } }),
    );
    const run = runCli(h, ['--daemon'], undefined, { CLAUDE_CONFIG_DIR: claude });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`http hooks of Claude Code post to a port another program holds[\\s\\S]*${port}`),
    );
    assert.equal(fs.existsSync(join(h.path, 'daemon.pid')), false, 'no PID file left behind');
  } finally {
    holder.close();
  }
});
