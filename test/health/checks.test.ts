import assert from 'node:assert/strict';
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../../source/config/resolve.js';
import {
  capForClientLoad,
  classifyOpenFiles,
  clientLoadCause,
  countOpenFiles,
  createJournalCheck,
  createNetworkCheck,
  createProcessCheck,
  createServiceCheck,
  STARTUP_GRACE_MS,
} from '../../source/health/checks/index.js';
import { runCheck } from '../../source/health/monitor.js';
import type { HealthCheck } from '../../source/health/types.js';
import type { CheckResult } from '../../source/protocol/health.js';
import { burnCpu, busyFor, fakeDaemon } from './helpers.js';

const { thresholds } = resolveConfig({}).config.health;
const never = new AbortController().signal;

function byName(results: CheckResult[], name: string): CheckResult {
  const found = results.find((result) => result.name === name);
  assert.ok(found, `no result named ${name} in ${results.map((r) => r.name).join(', ')}`);
  return found;
}

let home: string;
before(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-mon-health-'));
});
after(() => fs.rmSync(home, { recursive: true, force: true }));

describe('process check (real process)', () => {
  test('CPU is not 0 after burning CPU between two runs', async () => {
    const check = createProcessCheck({ thresholds });
    try {
      burnCpu(150);
      const first = byName(await check.run(never), 'process:cpu');
      // The first run only takes a baseline: before it is start-up, which says nothing of the daemon.
      assert.equal(first.observedValue, null, 'the first run does not judge start-up CPU');
      assert.equal(first.status, 'pass');
      assert.match(first.output, /baseline/);
      const wallStart = performance.now();
      burnCpu(200);
      const second = byName(await check.run(never), 'process:cpu');
      const wallMs = performance.now() - wallStart;
      // at least the 200 ms burnt over the wall time it took (other processes may share the cores)
      const floor = (200 / wallMs) * 100 * 0.9;
      assert.ok(
        second.observedValue! >= floor,
        `expected ≥ ${floor.toFixed(1)}%, got ${second.observedValue}%`,
      );
      assert.equal(second.observedUnit, '%');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const idle = byName(await check.run(never), 'process:cpu');
      assert.ok(idle.observedValue! < 50, `expected a mostly idle core, got ${idle.observedValue}%`);
    } finally {
      check.close();
    }
  });

  test('CPU agrees with /proc/self/stat (Linux)', { skip: process.platform !== 'linux' }, async () => {
    const ticks = async (): Promise<number> => {
      const stat = await readFile('/proc/self/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime + stime, clock ticks (100/s)
    };
    const check = createProcessCheck({ thresholds });
    try {
      await check.run(never);
      const startTicks = await ticks();
      const startWall = performance.now();
      burnCpu(300);
      const cpu = byName(await check.run(never), 'process:cpu').observedValue!;
      const procPercent = (((await ticks()) - startTicks) * 10) / ((performance.now() - startWall) / 100);
      assert.ok(Math.abs(cpu - procPercent) < 15, `cpuUsage ${cpu}% vs /proc ${procPercent}%`);
    } finally {
      check.close();
    }
  });

  test(
    'open file descriptors count files this process opens',
    { skip: process.platform === 'win32' },
    async () => {
      const files = await classifyOpenFiles();
      assert.ok(files !== null && files.total > 0);
      // process:openFiles judges the daemon's own descriptors: sockets are the clients' (process:sockets).
      const baseline = files.total - (files.sockets ?? 0);
      const fds = Array.from({ length: 20 }, (_, i) => fs.openSync(path.join(home, `fd-${i}`), 'w'));
      try {
        const check = createProcessCheck({ thresholds });
        const withFiles = byName(await check.run(never), 'process:openFiles');
        check.close();
        assert.ok(
          withFiles.observedValue! >= baseline + 20 && withFiles.observedValue! <= baseline + 25,
          `baseline ${baseline}, with 20 more files ${withFiles.observedValue}`,
        );
        assert.match(withFiles.output, /open file descriptors/);
      } finally {
        for (const fd of fds) fs.closeSync(fd);
      }
      const closed = await classifyOpenFiles();
      const closedOwn = closed!.total - (closed!.sockets ?? 0);
      assert.ok(closedOwn <= baseline + 2, `after closing: ${closedOwn} (baseline ${baseline})`);
    },
  );

  test(
    "sockets are counted apart from the daemon's own descriptors",
    { skip: process.platform !== 'linux' && 'socket descriptors are told apart on Linux only' },
    async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      const check = createProcessCheck({ thresholds });
      const before = await check.run(never);
      const clients = await Promise.all(
        Array.from(
          { length: 30 },
          () =>
            new Promise<net.Socket>((resolve) => {
              const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
            }),
        ),
      );
      try {
        const after = await check.run(never);
        const sockets = byName(after, 'process:sockets').observedValue!;
        const own = byName(after, 'process:openFiles').observedValue!;
        assert.ok(
          sockets >= byName(before, 'process:sockets').observedValue! + 30,
          `sockets ${sockets} after 30 connections`,
        );
        assert.ok(
          own <= byName(before, 'process:openFiles').observedValue! + 3,
          `own descriptors ${own} stay put`,
        );
      } finally {
        check.close();
        for (const client of clients) client.destroy();
        server.close();
      }
    },
  );

  test('a failing CPU or lag measured under client load is a warning with the cause', () => {
    const load = {
      connections: 3,
      pendingConnections: 0,
      maxConnections: 512,
      replaysActive: 2,
      replaysQueued: 8,
      replaysStarted: 12,
      replaysPeak: 2,
    };
    const cause = clientLoadCause({ ...load, replaysStarted: 2, replaysActive: 0, replaysQueued: 0 }, load);
    assert.match(cause!, /10 replays \(8 waiting\)/);
    const failing = {
      name: 'process:cpu',
      status: 'fail' as const,
      observedValue: 99,
      observedUnit: '%',
      threshold: { warn: 70, fail: 95 },
      output: '99% of one core',
      time: new Date().toISOString(),
    };
    const capped = capForClientLoad(failing, cause);
    assert.equal(capped.status, 'warn');
    assert.match(capped.output, /clients' load/);
    assert.equal(capForClientLoad(failing, null).status, 'fail', 'without client load a failure stays one');
    const idle = { ...load, replaysActive: 0, replaysQueued: 0 };
    assert.equal(clientLoadCause(idle, idle), null);
  });

  test('start-up grace: lag over its threshold right after start is shown but passes; after the grace it warns', async () => {
    let clock = 1_000_000;
    const check = createProcessCheck({ thresholds, now: () => clock, startupGraceMs: STARTUP_GRACE_MS });
    try {
      const blockAndRun = async () => {
        await new Promise<void>((resolve) => setTimeout(() => (busyFor(250), resolve()), 30));
        await new Promise((resolve) => setTimeout(resolve, 40));
        return byName(await check.run(never), 'process:eventLoopLag');
      };
      const early = await blockAndRun();
      assert.ok(early.observedValue! >= 200, `the figure stays: ${early.observedValue}`);
      assert.equal(early.status, 'pass');
      assert.match(early.output, /start-up \(the first 10 s after start are not judged\)/);
      clock += STARTUP_GRACE_MS;
      const later = await blockAndRun();
      assert.equal(later.status, 'warn', later.output);
      assert.doesNotMatch(later.output, /start-up/);
    } finally {
      check.close();
    }
  });

  test('open files is null and says unknown where the platform cannot list them', async () => {
    assert.equal(await countOpenFiles('aix'), null);
    const check = createProcessCheck({ thresholds, platform: 'aix' });
    const result = byName(await check.run(never), 'process:openFiles');
    check.close();
    assert.equal(result.observedValue, null);
    assert.equal(result.status, 'pass');
    assert.match(result.output, /^unknown/);
  });

  test('event-loop lag shows a busy loop, and is small again afterwards', async () => {
    const check = createProcessCheck({ thresholds });
    try {
      await check.run(never); // resets the histogram
      await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          busyFor(300);
          resolve();
        }, 30),
      );
      await new Promise((resolve) => setTimeout(resolve, 60));
      const busy = byName(await check.run(never), 'process:eventLoopLag');
      assert.ok(busy.observedValue! >= 250, `expected ≥250 ms lag, got ${busy.observedValue}`);
      assert.equal(busy.status, 'warn'); // 100 ≤ lag < 1000
      await new Promise((resolve) => setTimeout(resolve, 200));
      const calm = byName(await check.run(never), 'process:eventLoopLag');
      assert.ok(calm.observedValue! < 100, `expected a calm loop, got ${calm.observedValue}`);
    } finally {
      check.close();
    }
  });

  test('memory thresholds judge RSS (forced fail at 2 MiB)', async () => {
    const strict = resolveConfig({ file: { health: { thresholds: { memoryMb: { warn: 1, fail: 2 } } } } })
      .config.health.thresholds;
    const check = createProcessCheck({ thresholds: strict });
    const memory = byName(await check.run(never), 'process:memory');
    check.close();
    assert.equal(memory.status, 'fail');
    assert.deepEqual(memory.threshold, { warn: 1, fail: 2 });
    assert.ok(memory.observedValue! > 10);
  });
});

describe('journal check (real files)', () => {
  test('a writable home passes, and statfs gives a number of MiB', async () => {
    const facts = fakeDaemon(home);
    const results = await createJournalCheck({ facts, thresholds }).run(never);
    assert.equal(byName(results, 'journal:writable').status, 'pass');
    const free = byName(results, 'disk:free');
    assert.equal(typeof free.observedValue, 'number');
    assert.ok(free.observedValue! > 0);
    assert.equal(free.observedUnit, 'MiB');
    assert.deepEqual(
      fs.readdirSync(home).filter((name) => name.startsWith('.health')),
      [],
      'test file removed',
    );
  });

  test('fails when the test write fails, naming why', async () => {
    const notADir = path.join(home, 'a-file');
    fs.writeFileSync(notADir, 'x');
    const results = await createJournalCheck({ facts: fakeDaemon(notADir), thresholds }).run(never);
    const writable = byName(results, 'journal:writable');
    assert.equal(writable.status, 'fail');
    assert.match(writable.output, /test write .* failed: ENOTDIR/);
  });

  test('a missing home: not writable, free space unknown (warn)', async () => {
    const results = await createJournalCheck({ facts: fakeDaemon(path.join(home, 'gone')), thresholds }).run(
      never,
    );
    assert.match(byName(results, 'journal:writable').output, /ENOENT/);
    const free = byName(results, 'disk:free');
    assert.equal(free.status, 'warn');
    assert.equal(free.observedValue, null);
    assert.match(free.output, /statfs failed \(ENOENT\)/);
  });

  test('fails when the store says its last write failed', async () => {
    const facts = fakeDaemon(home);
    facts.state.store = { ...facts.state.store, writable: false, writeErrors: 3 };
    const writable = byName(await createJournalCheck({ facts, thresholds }).run(never), 'journal:writable');
    assert.equal(writable.status, 'fail');
    assert.equal(writable.observedValue, 3);
    assert.match(writable.output, /last journal write failed \(3 write errors/);
  });

  test('free space below the fail level fails (lower is worse)', async () => {
    const huge = { ...thresholds, diskFreeMb: { warn: 1e12, fail: 1e11 } };
    const free = byName(
      await createJournalCheck({ facts: fakeDaemon(home), thresholds: huge }).run(never),
      'disk:free',
    );
    assert.equal(free.status, 'fail');
  });

  test('corrupt lines and spool backlog are judged by their thresholds', async () => {
    const facts = fakeDaemon(home);
    facts.state.store = { ...facts.state.store, corruptLines: 2 };
    facts.state.spool = { files: 20_000, bytes: 1 };
    const results = await createJournalCheck({ facts, thresholds }).run(never);
    assert.equal(byName(results, 'journal:corruptLines').status, 'warn');
    assert.equal(byName(results, 'spool:backlog').status, 'fail');
  });
});

describe('network check (real sockets)', () => {
  const servers: Server[] = [];
  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  test('passes when /status answers for this process and the probe is delivered', async () => {
    const port = await serve((_req, res) => res.end(JSON.stringify({ pid: process.pid, status: 'pass' })));
    const facts = fakeDaemon(home);
    facts.state.address = { host: '127.0.0.1', port };
    const results = await createNetworkCheck({ facts, thresholds }).run(never);
    assert.equal(byName(results, 'network:status').status, 'pass');
    assert.equal(byName(results, 'network:delivery').status, 'pass');
    assert.ok(byName(results, 'network:status').observedValue! >= 0);
  });

  test('accepts but delivers nothing: the probe failing fails the check', async () => {
    const port = await serve((_req, res) => res.end(JSON.stringify({ pid: process.pid })));
    const facts = fakeDaemon(home);
    facts.state.address = { host: '127.0.0.1', port };
    facts.state.probeOk = false;
    const results = await createNetworkCheck({ facts, thresholds }).run(never);
    assert.equal(byName(results, 'network:status').status, 'pass');
    const delivery = byName(results, 'network:delivery');
    assert.equal(delivery.status, 'fail');
    assert.match(delivery.output, /never delivered/);
  });

  test('another program answering on the port fails', async () => {
    const port = await serve((_req, res) => res.end(JSON.stringify({ pid: 1 })));
    const facts = fakeDaemon(home);
    facts.state.address = { host: '127.0.0.1', port };
    const status = byName(await createNetworkCheck({ facts, thresholds }).run(never), 'network:status');
    assert.equal(status.status, 'fail');
    assert.match(status.output, /answered by pid 1, not this daemon/);
  });

  test('a refused connection and a non-JSON answer fail with the reason', async () => {
    const closedPort = await serve(() => undefined);
    const last = servers.pop()!;
    await new Promise((resolve) => last.close(resolve));
    const facts = fakeDaemon(home);
    facts.state.address = { host: '127.0.0.1', port: closedPort };
    const refused = byName(await createNetworkCheck({ facts, thresholds }).run(never), 'network:status');
    assert.equal(refused.status, 'fail');
    assert.match(refused.output, /cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);

    facts.state.address = { host: '127.0.0.1', port: await serve((_req, res) => res.end('<html>')) };
    const html = byName(await createNetworkCheck({ facts, thresholds }).run(never), 'network:status');
    assert.match(html.output, /not JSON/);
  });

  test('not listening (restart in progress) fails both', async () => {
    const results = await createNetworkCheck({ facts: fakeDaemon(home), thresholds }).run(never);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fail', 'fail'],
    );
  });

  test('a port that accepts but never answers: the check times out instead of hanging', async () => {
    const port = await serve(() => undefined); // never responds
    const facts = fakeDaemon(home);
    facts.state.address = { host: '127.0.0.1', port };
    const started = performance.now();
    const { results, error } = await runCheck(createNetworkCheck({ facts, thresholds }), 150, Date.now);
    assert.ok(performance.now() - started < 1000);
    assert.deepEqual(
      results.map((r) => [r.name, r.status, r.output]),
      [['network', 'fail', 'timed out after 150 ms']],
    );
    assert.equal(error?.code, 'HEALTH_CHECK_FAILED');
  });
});

describe('service check', () => {
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const now = (): number => clock;

  test('idle is healthy', async () => {
    const check = createServiceCheck({ facts: fakeDaemon(home), thresholds, now });
    clock += 5000;
    const results = await check.run(never);
    assert.ok(results.every((result) => result.status === 'pass'));
    assert.match(byName(results, 'service:ingestRate').output, /idle/);
    assert.equal(byName(results, 'service:errorRate').observedValue, 0);
  });

  test('a flood of client-caused refusals is reported but passes', async () => {
    const facts = fakeDaemon(home);
    const check = createServiceCheck({ facts, thresholds, now });
    facts.state.counters.ingested = 1;
    facts.state.counters.refusedByReason = {
      invalid_json: 5000,
      invalid_event: 2,
      too_large: 1,
      unauthorized: 7,
    };
    clock += 5000;
    const results = await check.run(never);
    assert.ok(
      results.every((result) => result.status === 'pass'),
      JSON.stringify(results),
    );
    const refusals = byName(results, 'service:refusals');
    assert.equal(refusals.observedValue, 5010 / 5);
    assert.match(refusals.output, /invalid_event 2, invalid_json 5000, too_large 1, unauthorized 7/);
    assert.equal(byName(results, 'service:errorRate').observedValue, 0);
  });

  test('internal errors over attempts are judged by errorRate, as deltas between runs', async () => {
    const facts = fakeDaemon(home);
    const check = createServiceCheck({ facts, thresholds, now });
    facts.state.counters.ingested = 90;
    facts.state.counters.internalErrors = 10;
    clock += 5000;
    const first = byName(await check.run(never), 'service:errorRate');
    assert.equal(first.observedValue, 0.1); // 10 / (90 + 10)
    assert.equal(first.status, 'warn');
    assert.match(first.output, /10 internal errors in 100 attempts/);
    facts.state.counters.ingested += 10;
    facts.state.counters.internalErrors += 40;
    clock += 5000;
    const second = byName(await check.run(never), 'service:errorRate');
    assert.equal(second.observedValue, 0.8);
    assert.equal(second.status, 'fail');
    clock += 5000;
    const quiet = byName(await check.run(never), 'service:errorRate');
    assert.equal(quiet.observedValue, 0, 'only what happened since the last run counts');
    assert.equal(quiet.status, 'pass');
  });

  test('delivery backlog and clients', async () => {
    const facts = fakeDaemon(home);
    const check = createServiceCheck({ facts, thresholds, now });
    facts.state.viewers = 3;
    facts.state.producers = 2;
    facts.state.backlog = 6000;
    facts.state.counters.droppedViewers = 1;
    clock += 1000;
    const results = await check.run(never);
    assert.equal(byName(results, 'service:deliveryBacklog').status, 'fail');
    assert.equal(byName(results, 'service:clients').observedValue, 3);
    assert.match(byName(results, 'service:clients').output, /3 viewers, 2 producers; 1 viewers dropped/);
  });
});

describe('check runner', () => {
  test('a hung check becomes a fail with output "timed out"', async () => {
    let aborted = false;
    const hung: HealthCheck = {
      name: 'hung',
      run: (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    };
    const { results, error } = await runCheck(hung, 50, Date.now);
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'fail');
    assert.equal(results[0]!.output, 'timed out after 50 ms');
    assert.equal(aborted, true, 'the check was told to stop');
    assert.match(error!.message, /"hung" did not finish within 50 ms/);
  });

  test('a throwing check becomes a fail naming the error', async () => {
    const broken: HealthCheck = { name: 'broken', run: () => Promise.reject(new Error('boom')) };
    const { results, error } = await runCheck(broken, 1000, Date.now);
    assert.equal(results[0]!.status, 'fail');
    assert.match(results[0]!.output, /health check "broken" failed to run: boom/);
    assert.equal(error!.reason, 'threw');
  });
});
