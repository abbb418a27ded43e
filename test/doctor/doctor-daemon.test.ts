/**
 * Doctor against real processes and sockets: a live process that is not the daemon, a port held by
 * another program, a listener that never answers, and a small HTTP server speaking the daemon's
 * documented /health, /status and /diagnostics (until the real daemon is wired into the end-to-end
 * suite, where `doctor` against a running `mpm-mon --daemon` belongs).
 */
import type { DiagnosticsResponse } from '../../source/protocol/diagnostics.js';
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { readProcessStartTime } from '../../source/instance/process-info.js';
import { VERSION } from '../../source/protocol/version.js';
import { check, doctor, freePort, listenOn, makeSandbox, writePidFile, type Sandbox } from './sandbox.js';
import { killChild, spawnIdleChild } from '../helpers/processes.js';

const TOKEN = 'cd'.repeat(32);
let box: Sandbox | undefined;
let child: ChildProcess | undefined;
const servers: Array<Server | HttpServer> = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  killChild(child);
  child = undefined;
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(
    servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  box?.cleanup();
  box = undefined;
});

function track<T extends Server | HttpServer>(server: T): T {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return server;
}

describe('a live process that is not the daemon', () => {
  test('same start time: PID file live, but nothing answers: refused is a failure, dependents are not checked', async () => {
    const port = await freePort();
    box = makeSandbox(port);
    child = await spawnIdleChild();
    const startTime = await readProcessStartTime(child.pid!);
    writePidFile(box.state, { pid: child.pid!, port, processStartTime: startTime });
    const run = await doctor(box);
    assert.equal(run.code, 1);
    assert.equal(check(run, 'pid-file').status, 'pass');
    const reachable = check(run, 'reachable');
    assert.equal(reachable.status, 'fail');
    assert.equal(reachable.details.code, 'DAEMON_REFUSED');
    assert.equal(check(run, 'process').status, 'warn');
    assert.match(
      check(run, 'process').message,
      new RegExp(`^pid ${child.pid} \\(.*node.*\\) is alive but does not answer`),
    );
    assert.equal(check(run, 'port').status, 'warn');
    for (const name of ['health', 'auth', 'recovery']) {
      assert.equal(check(run, name).status, 'warn', name);
      assert.equal(check(run, name).message, 'not checked: the daemon does not answer');
    }
    assert.equal(child.exitCode, null, 'doctor never signals a process');

    const text = await doctor(box, { json: false });
    const guide = text.output.slice(text.output.indexOf('Troubleshooting:'));
    assert.match(
      guide,
      /^Troubleshooting: 2 failures, \d+ warnings\n.*\n\n✗ daemon reachable: the daemon \(PID \d+\) is alive but refuses/,
    );
    assert.ok(
      guide.includes(`ps -o pid,ppid,stat,lstart,etime,cmd -p ${child.pid}`),
      'the command to inspect it',
    );
  });

  test('another start time: the PID was reused, a stale warning, and --fix removes only the file', async () => {
    const port = await freePort();
    box = makeSandbox(port);
    child = await spawnIdleChild();
    writePidFile(box.state, { pid: child.pid!, port, processStartTime: '1' });
    const run = await doctor(box);
    assert.equal(check(run, 'pid-file').status, 'warn');
    assert.match(check(run, 'pid-file').message, /^stale \(reused\)/);
    const fixed = await doctor(box, { fix: true });
    assert.equal(fixed.json.repairs?.find((entry) => entry.check === 'pid-file')?.outcome, 'done');
    assert.equal(fs.existsSync(join(box.state, 'daemon.pid')), false);
    assert.equal(child.exitCode, null, 'the process that now has that PID is left alone');
    assert.equal(check(fixed, 'pid-file').status, 'pass');
  });
});

describe('the port', () => {
  test('held by another program on an explicitly chosen port: a failure naming the holder', async () => {
    const other = track(createHttpServer((_request, response) => response.writeHead(404).end('not here')));
    const port = await listenOn(other);
    box = makeSandbox(port);
    const run = await doctor(box);
    const portCheck = check(run, 'port');
    assert.equal(portCheck.status, 'fail');
    assert.equal(portCheck.details.ownerPid, process.pid);
    assert.equal(portCheck.details.code, 'PORT_CONFLICT');
    assert.match(portCheck.message, new RegExp(`^127\\.0\\.0\\.1:${port} is held by pid ${process.pid}`));
    const reachable = check(run, 'reachable');
    assert.equal(reachable.status, 'fail');
    assert.match(reachable.message, /answers, but not as mpm-mon \(HTTP 404\)/);
    assert.equal(run.code, 1);
  });
});

describe('a hung listener', () => {
  test('accepts and never answers: DAEMON_HUNG, and doctor finishes within its timeout', async () => {
    const hung = track(createServer(() => {}));
    const port = await listenOn(hung);
    box = makeSandbox(port);
    const run = await doctor(box, { timeoutMs: 300 });
    const reachable = check(run, 'reachable');
    assert.equal(reachable.status, 'fail');
    assert.equal(reachable.details.code, 'DAEMON_HUNG');
    assert.match(reachable.message, /did not answer within 300 ms \(hung\)/);
    assert.ok(run.ms < 4000, `doctor took ${run.ms} ms`);
    assert.equal(run.code, 1);
  });
});

interface FakeDaemon {
  health?: object;
  /** The recovery part of /diagnostics; the rest of the body is what a real daemon sends too. */
  recovery?: Pick<DiagnosticsResponse['recovery'], 'log' | 'breaker'>;
  statusPid?: number;
}

async function fakeDaemon(options: FakeDaemon = {}): Promise<number> {
  const health = options.health ?? {
    status: 'pass',
    version: VERSION,
    uptimeSeconds: 125,
    checks: {
      memoryMb: {
        name: 'memoryMb',
        status: 'pass',
        observedValue: 60,
        observedUnit: 'MB',
        threshold: { warn: 300, fail: 800 },
        output: '',
        time: new Date().toISOString(),
      },
    },
  };
  const server = track(
    createHttpServer((request, response) => {
      const send = (code: number, body: unknown) =>
        response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.url === '/health')
        return send((health as { status: string }).status === 'fail' ? 503 : 200, health);
      const status = {
        status: 'pass',
        pid: options.statusPid ?? process.pid,
        port: 0,
        host: '127.0.0.1',
        version: VERSION,
        uptimeSeconds: 125,
        clients: { viewers: 0, producers: 0 },
        events: { total: 0, perSecond: 0, lastSeq: 0 },
      };
      if (request.url === '/status') return send(200, status);
      if (request.url === '/diagnostics') {
        if (request.headers.authorization !== `Bearer ${TOKEN}`)
          return send(401, { error: { code: 'unauthorized', message: 'no' } });
        const recovery = options.recovery ?? {
          log: [],
          breaker: { state: 'closed', failures: 0, nextTrialAt: null, openedAt: null },
        };
        return send(200, { version: VERSION, health, status, recovery: { ...recovery, degraded: false } });
      }
      return send(404, { error: { code: 'not_found', message: 'no' } });
    }),
  );
  return listenOn(server);
}

async function sandboxFor(port: number, token = TOKEN, version = VERSION): Promise<Sandbox> {
  const sandbox = makeSandbox(port);
  writePidFile(sandbox.state, {
    pid: process.pid,
    port,
    processStartTime: await readProcessStartTime(process.pid),
    version,
  });
  fs.writeFileSync(join(sandbox.state, 'token'), `${token}\n`, { mode: 0o600 });
  return sandbox;
}

describe('a daemon that answers', () => {
  test('healthy: PID file, process, port, reachability, verdict, auth and breaker all pass', async () => {
    box = await sandboxFor(await fakeDaemon());
    const run = await doctor(box);
    for (const name of ['pid-file', 'process', 'port', 'reachable', 'health', 'auth', 'recovery', 'token'])
      assert.equal(check(run, name).status, 'pass', `${name}: ${check(run, name).message}`);
    assert.match(
      check(run, 'reachable').message,
      /answers \/health and \/status in \d+ ms \(mpm-mon .*, up 2m 5s\)/,
    );
    assert.match(check(run, 'port').message, /is the daemon's/);
    assert.equal(run.code, 0);
  });

  test('a token the daemon does not accept fails authentication', async () => {
    box = await sandboxFor(await fakeDaemon(), 'ef'.repeat(32));
    const auth = check(await doctor(box), 'auth');
    assert.equal(auth.status, 'fail');
    assert.equal(auth.details.code, 'AUTH_TOKEN_REJECTED');
  });

  test('a warning check and an open breaker: the verdict warns, recovery fails', async () => {
    const now = new Date().toISOString();
    const port = await fakeDaemon({
      health: {
        status: 'warn',
        version: VERSION,
        uptimeSeconds: 5,
        checks: {
          cpuPercent: {
            name: 'cpuPercent',
            status: 'warn',
            observedValue: 82,
            observedUnit: '%',
            threshold: { warn: 70, fail: 95 },
            output: 'busy',
            time: now,
          },
          memoryMb: {
            name: 'memoryMb',
            status: 'pass',
            observedValue: 60,
            observedUnit: 'MB',
            threshold: { warn: 300, fail: 800 },
            output: '',
            time: now,
          },
        },
      },
      recovery: {
        breaker: { state: 'open', failures: 5, nextTrialAt: '2030-01-01T00:00:00.000Z', openedAt: now },
        log: [
          {
            id: 1,
            at: now,
            trigger: [{ check: 'cpuPercent', status: 'fail', observedValue: 99, observedUnit: '%' }],
            action: 'restart-service',
            outcome: 'failed',
            durationMs: 5,
            breaker: 'open',
          },
        ],
      },
    });
    box = await sandboxFor(port);
    const run = await doctor(box);
    const health = check(run, 'health');
    assert.equal(health.status, 'warn');
    assert.match(health.message, /^warn: cpuPercent warn/);
    assert.equal(health.details.code, 'HEALTH_THRESHOLD_EXCEEDED');
    const recovery = check(run, 'recovery');
    assert.equal(recovery.status, 'fail');
    assert.match(
      recovery.message,
      /circuit breaker is open after 5 failed recoveries; next trial at 2030-01-01T00:00:00.000Z/,
    );
    assert.equal(run.code, 1);
  });

  test('a daemon of another version, and a PID file that names another process than the one answering', async () => {
    box = await sandboxFor(await fakeDaemon(), TOKEN, '0.0.1');
    const older = check(await doctor(box), 'process');
    assert.equal(older.status, 'warn');
    assert.match(
      older.message,
      new RegExp(`runs mpm-mon 0\\.0\\.1, this is ${VERSION.replace(/\./g, '\\.')}`),
    );
    box.cleanup();
    box = await sandboxFor(await fakeDaemon({ statusPid: 1 }));
    const other = check(await doctor(box), 'process');
    assert.equal(other.status, 'fail');
    assert.match(other.message, /daemon answering on port \d+ is pid 1$/);
  });
});
