// The hook command as Claude Code runs it: a real child process, real stdin, a real HTTP server on
// 127.0.0.1 standing in for the daemon's POST /events, a real MPM_MON_HOME in a temp directory.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { runHook } from '../../source/commands/hook.js';
import { drainSpool } from '../../source/store/spool.js';
import { readProcessStartTime } from '../../source/instance/process-info.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';

const childScript = fileFromHere('run-hook-child.ts');
const fixturesDir = new URL('../fixtures/claude-hooks/', import.meta.url);
const TOKEN = 'test-token-0123456789abcdef';

function fileFromHere(name: string): string {
  return new URL(name, import.meta.url).pathname;
}

const root = dirsRemovedAfter('mpm-mon-hook-')();
const servers: http.Server[] = [];
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

let counter = 0;
function freshHome(): string {
  counter += 1;
  const home = path.join(root, `home-${counter}`);
  fs.mkdirSync(home);
  return home;
}

interface HookRun {
  code: number | null;
  stdout: string;
  outcome: string;
  elapsedMs: number;
  wallMs: number;
}

/**
 * Runs the hook in a child with `input` on stdin; fails the test if it has not exited by the deadline
 * (generous: a dozen of these start tsx at once on a busy 2-core machine).
 */
const HOOK_DEADLINE_MS = 60_000;

async function runHookProcess(
  home: string,
  input: string,
  env: Record<string, string> = {},
): Promise<HookRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    env: { ...process.env, MPM_MON_HOME: home, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`hook did not exit within ${HOOK_DEADLINE_MS} ms; stderr: ${stderr}`)),
        HOOK_DEADLINE_MS,
      );
      child.once('exit', (exitCode) => {
        clearTimeout(deadline);
        resolve(exitCode);
      });
    });
    const report = JSON.parse(stderr.trim().split('\n').at(-1) ?? '{}') as {
      outcome: string;
      elapsedMs: number;
    };
    return {
      code,
      stdout,
      outcome: report.outcome,
      elapsedMs: report.elapsedMs,
      wallMs: performance.now() - started,
    };
  } finally {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  }
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the daemon's POST /events; `answer` decides the status (null: never answer). */
async function startDaemonStandIn(
  home: string,
  answer: { status: number; body?: unknown } | null,
): Promise<{ received: Received[]; port: number }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (answer === null) return;
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body ?? { accepted: 1, seqs: [1] }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await writeDaemonFiles(home, process.pid, port);
  return { received, port };
}

/**
 * The files a daemon leaves for its clients. The stand-in runs in this process, so the PID file names
 * this process with its real start time: clients check both before they send anything.
 */
async function writeDaemonFiles(home: string, pid: number, port: number): Promise<void> {
  const pidFile = {
    pid,
    port,
    host: '127.0.0.1',
    startedAt: new Date().toISOString(),
    processStartTime: await readProcessStartTime(pid),
    version: '0.0.0-test',
    nodeVersion: process.version,
    argv: [],
  };
  fs.writeFileSync(path.join(home, 'daemon.pid'), JSON.stringify(pidFile));
  fs.writeFileSync(path.join(home, 'token'), `${TOKEN}\n`, { mode: 0o600 });
}

function spooled(home: string): string[] {
  const dir = path.join(home, 'spool');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map(
      (name) => (JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { payload: string }).payload,
    );
}

function errorLog(home: string): string {
  const file = path.join(home, 'spool', 'errors.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

const stopPayload = fs.readFileSync(new URL('Stop.json', fixturesDir), 'utf8');
const secretPayload = fs.readFileSync(new URL('PreToolUse-secret.json', fixturesDir), 'utf8');

describe('mpm-mon hook', () => {
  test('no daemon: exits 0 quickly, prints nothing, spools the payload', async () => {
    const home = freshHome();
    const run = await runHookProcess(home, stopPayload);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    assert.equal(run.outcome, 'spooled');
    assert.ok(run.elapsedMs < 300, `the hook's own work took ${run.elapsedMs} ms`);
    assert.deepEqual(spooled(home), [stopPayload]);
    assert.equal(errorLog(home), '');
  });

  test('a daemon that takes it (202): body and headers arrive, nothing is spooled', async () => {
    const home = freshHome();
    const daemon = await startDaemonStandIn(home, { status: 202 });
    const run = await runHookProcess(home, stopPayload);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    assert.equal(run.outcome, 'delivered');
    assert.equal(daemon.received.length, 1);
    const [request] = daemon.received;
    assert.equal(request!.body, stopPayload);
    assert.equal(request!.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers['x-mpm-mon-source'], 'hook');
    assert.equal(request!.headers.host, `127.0.0.1:${daemon.port}`);
    assert.equal(request!.headers.origin, undefined);
    assert.deepEqual(spooled(home), []);
  });

  test('a daemon that says the payload is invalid (400): not spooled, recorded without the payload', async () => {
    const home = freshHome();
    await startDaemonStandIn(home, {
      status: 400,
      body: { error: { code: 'invalid_event', message: 'no type' } },
    });
    const run = await runHookProcess(home, secretPayload);
    assert.equal(run.code, 0);
    assert.equal(run.outcome, 'recorded');
    assert.deepEqual(spooled(home), []);
    const line = JSON.parse(errorLog(home)) as Record<string, unknown>;
    assert.equal(line.reason, 'rejected');
    assert.equal(line.status, 400);
    assert.equal(line.code, 'invalid_event');
    assert.equal(line.size, Buffer.byteLength(secretPayload));
    assert.doesNotMatch(errorLog(home), /ghp_|sk-ant|curl/);
  });

  test('a busy daemon (503) or one refusing the token (401): spooled for later', async () => {
    const busy = freshHome();
    await startDaemonStandIn(busy, {
      status: 503,
      body: { error: { code: 'journal_unavailable', message: '' } },
    });
    assert.equal((await runHookProcess(busy, stopPayload)).outcome, 'spooled');
    assert.deepEqual(spooled(busy), [stopPayload]);
    assert.equal(errorLog(busy), '');

    const refused = freshHome();
    await startDaemonStandIn(refused, {
      status: 401,
      body: { error: { code: 'unauthorized', message: '' } },
    });
    assert.equal((await runHookProcess(refused, stopPayload)).outcome, 'spooled');
    assert.deepEqual(spooled(refused), [stopPayload]);
    assert.match(errorLog(refused), /"reason":"refused","size":\d+,"status":401,"code":"unauthorized"/);
  });

  test('a daemon that never answers: gives up after the timeout, spools, exits 0', async () => {
    const home = freshHome();
    const daemon = await startDaemonStandIn(home, null);
    const run = await runHookProcess(home, stopPayload, { MPM_MON_HOOK_TIMEOUT_MS: '150' });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    assert.equal(run.outcome, 'spooled');
    assert.equal(daemon.received.length, 1, 'the request did reach the server');
    assert.ok(run.elapsedMs >= 140 && run.elapsedMs < 600, `took ${run.elapsedMs} ms with a 150 ms timeout`);
    assert.deepEqual(spooled(home), [stopPayload]);
  });

  test('after a timeout the hooks that follow spool at once, until the mark ends or names another daemon', async () => {
    const home = freshHome();
    const daemon = await startDaemonStandIn(home, null);
    const env = { MPM_MON_HOOK_TIMEOUT_MS: '150' };
    assert.equal((await runHookProcess(home, stopPayload, env)).outcome, 'spooled');
    const mark = JSON.parse(fs.readFileSync(path.join(home, 'hook-stalled'), 'utf8')) as Record<
      string,
      number
    >;
    assert.equal(mark.pid, process.pid);
    assert.equal(mark.port, daemon.port);
    assert.equal(fs.statSync(path.join(home, 'hook-stalled')).mode & 0o777, 0o600);

    const followers = await Promise.all([1, 2, 3].map(() => runHookProcess(home, stopPayload, env)));
    assert.deepEqual(
      followers.map((run) => run.outcome),
      ['spooled', 'spooled', 'spooled'],
    );
    assert.equal(daemon.received.length, 1, 'the hooks after the timeout never connected');
    assert.equal(spooled(home).length, 4);

    // A mark for another daemon (or one that ended) is no reason to skip this one.
    fs.writeFileSync(path.join(home, 'hook-stalled'), JSON.stringify({ ...mark, port: daemon.port + 1 }));
    assert.equal((await runHookProcess(home, stopPayload, env)).outcome, 'spooled');
    assert.equal(daemon.received.length, 2, 'posted again');
    fs.writeFileSync(path.join(home, 'hook-stalled'), JSON.stringify({ ...mark, until: Date.now() - 1 }));
    assert.equal((await runHookProcess(home, stopPayload, env)).outcome, 'spooled');
    assert.equal(daemon.received.length, 3, 'posted again after the mark ended');
  });

  test('a stale PID file: the token is not sent to whatever now owns the port', async () => {
    const home = freshHome();
    const daemon = await startDaemonStandIn(home, { status: 202 });
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => dead.once('exit', () => resolve(dead.pid!)));
    await writeDaemonFiles(home, deadPid, daemon.port);
    const run = await runHookProcess(home, stopPayload);
    assert.equal(run.outcome, 'spooled');
    assert.equal(daemon.received.length, 0);
  });

  test('garbage on stdin: exit 0, one error line with the size, never the text', async () => {
    const home = freshHome();
    const garbage = 'password=hunter2 {not json';
    const run = await runHookProcess(home, garbage);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    assert.equal(run.outcome, 'recorded');
    assert.deepEqual(spooled(home), []);
    const lines = errorLog(home).trim().split('\n');
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(line.reason, 'invalid_json');
    assert.equal(line.size, garbage.length);
    assert.ok(typeof line.time === 'string');
    assert.doesNotMatch(errorLog(home), /hunter2|password/);
  });

  test('every fixture, from hooks running at the same time, reaches the spool and drains (secrets scrubbed)', async () => {
    const home = freshHome();
    const names = fs.readdirSync(fixturesDir).filter((name) => name.endsWith('.json'));
    const payloads = names.map((name) => fs.readFileSync(new URL(name, fixturesDir), 'utf8'));
    // Five at a time: each child compiles TypeScript, and fifteen at once on a busy machine overrun
    // the per-hook deadline without saying anything about the hook.
    const runs: HookRun[] = [];
    for (let at = 0; at < payloads.length; at += 5)
      runs.push(
        ...(await Promise.all(payloads.slice(at, at + 5).map((payload) => runHookProcess(home, payload)))),
      );
    assert.ok(runs.every((run) => run.code === 0 && run.outcome === 'spooled' && run.stdout === ''));
    const drained: string[] = [];
    const result = await drainSpool(path.join(home, 'spool'), (raw) => {
      drained.push(raw);
      return Promise.resolve('ok');
    });
    assert.equal(result.delivered, payloads.length);
    // Byte for byte, but for the payload that carried secrets: the spool is storage, so it is scrubbed.
    const withSecret = (text: string): boolean => text.includes('ghp_R4nd0m');
    assert.deepEqual(
      drained.filter((text) => !withSecret(text) && !text.includes('[REDACTED:')).sort(),
      payloads.filter((text) => !withSecret(text)).sort(),
    );
    const scrubbed = drained.filter((text) => text.includes('[REDACTED:'));
    assert.equal(scrubbed.length, 1, 'the secret fixture was spooled scrubbed');
    assert.ok(!withSecret(scrubbed[0]!) && !scrubbed[0]!.includes('sk-ant-api03'), 'no secret on disk');
    assert.match(scrubbed[0]!, /curl -H/);
  });

  test('a person typing `mpm-mon hook` in a terminal gets a hint on stderr, not a 2 s wait', async () => {
    const home = freshHome();
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    const started = performance.now();
    let hint = '';
    const outcome = await runHook({
      stdin: terminal,
      env: { MPM_MON_HOME: home },
      stderr: (text) => (hint += text),
    });
    assert.equal(outcome, 'no_input');
    assert.match(hint, /reads one Claude Code hook payload on stdin.*install-hooks/);
    assert.ok(performance.now() - started < 500);
    assert.equal(fs.existsSync(path.join(home, 'spool')), false);
  });

  test('in-process with an explicit env: no daemon, spooled under that MPM_MON_HOME', async () => {
    const home = freshHome();
    const input = new PassThrough();
    input.end(stopPayload);
    assert.equal(await runHook({ stdin: input, env: { MPM_MON_HOME: home } }), 'spooled');
    assert.deepEqual(spooled(home), [stopPayload]);
  });

  test('a full spool drops the payload and says so in errors.log, still without the payload', async () => {
    const home = freshHome();
    const limits = { maxFiles: 1, maxBytes: 1_000_000 };
    const feed = (text: string): PassThrough => {
      const stream = new PassThrough();
      stream.end(text);
      return stream;
    };
    const env = { MPM_MON_HOME: home };
    assert.equal(await runHook({ stdin: feed(stopPayload), env, spoolLimits: limits }), 'spooled');
    assert.equal(
      await runHook({ stdin: feed(secretPayload), env, spoolLimits: limits }),
      'dropped_spool_full',
    );
    assert.deepEqual(spooled(home), [stopPayload]);
    const line = JSON.parse(errorLog(home)) as Record<string, unknown>;
    assert.equal(line.reason, 'spool_full');
    assert.equal(line.files, 1);
    assert.doesNotMatch(errorLog(home), /ghp_|sk-ant/);
  });

  test('empty stdin and non-object JSON are recorded, not spooled', async () => {
    const home = freshHome();
    assert.equal((await runHookProcess(home, '')).outcome, 'recorded');
    assert.equal((await runHookProcess(home, '[1,2]')).outcome, 'recorded');
    assert.deepEqual(spooled(home), []);
    assert.deepEqual(
      errorLog(home)
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { reason: string }).reason),
      ['empty_input', 'not_an_object'],
    );
  });
});
