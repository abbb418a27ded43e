import assert from 'node:assert/strict';
import { createServer, get, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { after, describe, test } from 'node:test';
import {
  candidatePorts,
  findPortOwner,
  listen,
  listeningInodes,
  parseNetstatOwner,
  parseSsOwner,
} from '../../source/instance/port.js';
import { silentLogger } from '../../source/instance/logger-types.js';
import { ListenError, PortConflictError } from '../../source/errors/daemon-errors.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { Children, collectStdout } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const HOST = '127.0.0.1';
const children = new Children();
const servers: (Server | NetServer)[] = [];
after(async () => {
  children.killAll();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Another program's listener, stood in for by a plain TCP server in this process. */
async function occupy(port = 0): Promise<number> {
  const server = createNetServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: HOST }, resolve);
  });
  return (server.address() as { port: number }).port;
}

function httpServer(): Server {
  const server = createServer();
  servers.push(server);
  return server;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

describe('listen', () => {
  test('port 0 binds any free port and returns it', async () => {
    const server = httpServer();
    const port = await listen(server, { host: HOST, port: 0, explicit: false, range: [1, 1] }, silentLogger);
    assert.ok(port > 0);
    assert.equal((server.address() as { port: number }).port, port);
  });

  test('a free configured port is used as is', async () => {
    const free = await occupy();
    await new Promise((resolve) => (servers.pop() as NetServer).close(resolve));
    const port = await listen(
      httpServer(),
      { host: HOST, port: free, explicit: true, range: [1, 1] },
      silentLogger,
    );
    assert.equal(port, free);
  });

  test('an explicit port that is taken is a PortConflictError naming this process as the owner', async () => {
    const taken = await occupy();
    const error = await rejection(
      listen(
        httpServer(),
        { host: HOST, port: taken, explicit: true, range: [taken, taken + 5] },
        silentLogger,
      ),
    );
    assert.ok(error instanceof PortConflictError, String(error));
    assert.equal(error.code, 'PORT_CONFLICT');
    assert.equal(error.context.port, taken);
    assert.equal(error.context.host, HOST);
    assert.equal(error.context.range, null, 'an explicit port never falls back to the range');
    if (process.platform === 'linux' || process.platform === 'darwin') {
      assert.equal(error.context.ownerPid, process.pid);
      assert.match(error.message, new RegExp(`in use by pid ${process.pid}\\b`));
    }
  });

  test('a taken default port falls to the next free port of the range, and the log says so', async () => {
    const taken = await occupy();
    const range: [number, number] = [taken, taken + 20];
    const logger = recordingLogger();
    const server = httpServer();
    const port = await listen(server, { host: HOST, port: taken, explicit: false, range }, logger);
    assert.ok(port > taken && port <= taken + 20, `${port} is in the range after ${taken}`);
    const inUse = logger.entries.find((entry) => entry.message === 'port is in use');
    assert.equal(inUse?.fields.port, taken);
    const chosen = logger.entries.find((entry) => entry.message.includes('fallback range'));
    assert.equal(chosen?.fields.port, port);
    if (process.platform === 'linux') assert.equal(inUse?.fields.ownerPid, process.pid);
    // The server that failed its first listen serves normally on the port it got.
    server.on('request', (_request, response) => response.end('ok'));
    const body = await new Promise<string>((resolve, reject) => {
      get({ host: HOST, port, path: '/' }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(text));
      }).on('error', reject);
    });
    assert.equal(body, 'ok');
  });

  test('skips every taken port of the range, in order', async () => {
    const first = await occupy();
    // Occupy the next port too when it is free; the range then starts with two taken ports.
    const second = await occupy(first + 1).catch(() => null);
    const logger = recordingLogger();
    const port = await listen(
      httpServer(),
      { host: HOST, port: first, explicit: false, range: [first, first + 20] },
      logger,
    );
    assert.ok(port > (second ?? first));
    const chosen = logger.entries.find((entry) => entry.message.includes('fallback range'));
    const takenList = String(chosen?.fields.taken).split(',').map(Number);
    assert.deepEqual(
      takenList.slice(0, second === null ? 1 : 2),
      second === null ? [first] : [first, second],
    );
  });

  test('a range with no free port is a PortConflictError naming the range', async () => {
    const taken = await occupy();
    const error = await rejection(
      listen(httpServer(), { host: HOST, port: taken, explicit: false, range: [taken, taken] }, silentLogger),
    );
    assert.ok(error instanceof PortConflictError);
    assert.equal(error.context.range, `${taken}-${taken}`);
    assert.match(error.message, /no free port/);
  });

  test('an address that is not this machine is a ListenError, not a port conflict', async () => {
    const error = await rejection(
      listen(httpServer(), { host: '192.0.2.1', port: 0, explicit: false, range: [1, 1] }, silentLogger),
    );
    assert.ok(error instanceof ListenError, String(error));
    assert.equal(error.code, 'LISTEN_FAILED');
    assert.equal(error.context.errno, 'EADDRNOTAVAIL');
  });
});

test('candidatePorts: the configured port first, then the range; explicit or 0 alone', () => {
  assert.deepEqual(candidatePorts(8766, false, [8765, 8768]), [8766, 8765, 8767, 8768]);
  assert.deepEqual(candidatePorts(9000, false, [8765, 8766]), [9000, 8765, 8766]);
  assert.deepEqual(candidatePorts(8766, true, [8765, 8768]), [8766]);
  assert.deepEqual(candidatePorts(0, false, [8765, 8768]), [0]);
});

describe('findPortOwner', () => {
  test('names the process that listens, by pid and command', async () => {
    const child = children.spawn(process.execPath, [
      '-e',
      "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => console.log('port', s.address().port));",
    ]);
    const stdout = collectStdout(child);
    const port = Number(await waitFor(() => /port (\d+)/.exec(stdout())?.[1], 'the child to listen'));
    const owner = await findPortOwner(port);
    assert.ok(owner, 'the owner is found');
    assert.equal(owner.pid, child.pid);
    assert.match(owner.command ?? '', /node|createServer/);
  });

  test('is null for a port nobody listens on', async () => {
    const free = await occupy();
    await new Promise((resolve) => (servers.pop() as NetServer).close(resolve));
    assert.equal(await findPortOwner(free), null);
  });
});

describe('parsers of OS tools', () => {
  test('listeningInodes keeps LISTEN rows on the port, IPv4 and IPv6', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:223D 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 11111 1 0',
      '   1: 0100007F:223D 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 22222 1 0',
      '   2: 00000000000000000000000001000000:223D 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 33333 1 0',
      '   3: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 44444 1 0',
    ].join('\n');
    assert.deepEqual(listeningInodes(table, 0x223d), ['11111', '33333']);
    assert.deepEqual(listeningInodes(table, 1), []);
  });

  test('parseSsOwner reads the process of an ss -p line', () => {
    const line = 'LISTEN 0 511 127.0.0.1:8765 0.0.0.0:* users:(("node",pid=4321,fd=21))';
    assert.deepEqual(parseSsOwner(line), { pid: 4321, command: 'node' });
    assert.equal(parseSsOwner('LISTEN 0 511 127.0.0.1:8765 0.0.0.0:*'), null);
  });

  test('parseNetstatOwner finds the LISTENING pid of the port only', () => {
    const output = [
      '  Proto  Local Address          Foreign Address        State           PID',
      '  TCP    127.0.0.1:8765         0.0.0.0:0              LISTENING       5555',
      '  TCP    127.0.0.1:18765        0.0.0.0:0              LISTENING       6666',
      '  TCP    127.0.0.1:50000        127.0.0.1:8765         ESTABLISHED     7777',
      '  TCP    [::1]:9000             [::]:0                 LISTENING       8888',
    ].join('\r\n');
    assert.equal(parseNetstatOwner(output, 8765), 5555);
    assert.equal(parseNetstatOwner(output, 9000), 8888);
    assert.equal(parseNetstatOwner(output, 1234), null);
  });
});
