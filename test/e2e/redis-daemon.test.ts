/**
 * The real binary on a Redis store: a Redis elsewhere in clear text is refused at start-up; a daemon on
 * a redis-server serving TLS (password from a file, client certificate) stores and serves events and
 * never shows the password; a retry that reaches the other daemon of a cluster is acked as a duplicate
 * with its first seq, on HTTP and Socket.IO.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { IngestAck } from '../../source/protocol/event.js';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { hookPayload } from '../helpers/events.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { dirsRemovedAfter, homesRemovedAfter } from '../helpers/temp-home.js';
import { connectProducer, get, postEvents } from './harness.js';
import { startCluster } from './cluster-harness.js';

const PASSWORD = 'e2e-redis-password-5d8e1f';
const home = homesRemovedAfter();

describe('a daemon on Redis', () => {
  const dir = dirsRemovedAfter('mpm-mon-tls-e2e-');
  let temp = '';
  let certs: TestCertificates;
  let redis: RedisServer;
  before(async () => {
    temp = dir();
    certs = makeCertificates(temp);
    redis = await startRedis({ tls: { certs, clientCerts: true }, password: PASSWORD });
  });
  after(async () => {
    await redis?.stop();
    redis?.remove();
  });

  test('redis:// to another machine is refused at start-up: the key, the masked value, what to do', () => {
    const refused = home();
    const env = {
      MPM_MON_STORE_KIND: 'redis',
      MPM_MON_STORE_REDIS_URL: `redis://:${PASSWORD}@10.20.30.40:6379`,
    };
    for (const args of [
      ['--daemon', '--port', '0'],
      ['start', '--port', '0'],
    ]) {
      const result = runCli(refused, args, undefined, env);
      assert.equal(result.code, 1, `${args[0]}: ${result.stdout}${result.stderr}`);
      const said = result.stdout + result.stderr;
      assert.match(said, /store\.redis\.url/);
      assert.match(said, /MPM_MON_STORE_REDIS_URL/);
      assert.match(said, /rediss:\/\//);
      assert.match(said, /store\.redis\.tls\.insecure/);
      assert.doesNotMatch(said, new RegExp(PASSWORD));
    }
    assert.equal(refused.pidFile(), null, 'no daemon was started');
  });

  test('rediss:// with a password file and a client certificate: events are stored and served, the password shown nowhere', async () => {
    const h = home();
    const passwordFile = join(h.path, 'redis-password');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    h.writeConfig({
      store: {
        kind: 'redis',
        redis: {
          url: redis.url,
          prefix: '{e2e-tls}',
          passwordFile,
          tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
        },
      },
    });
    const daemon = await startDaemon(h);
    try {
      const posted = await postEvents(
        daemon.port,
        daemon.token,
        JSON.stringify([hookPayload(1), hookPayload(2)]),
      );
      assert.equal(posted.status, 202, posted.text);
      assert.deepEqual(posted.body, { accepted: 2, seqs: [1, 2] });
      const status = await get(daemon.port, '/status');
      assert.equal(status.body.cluster.store, 'redis');
      assert.equal(status.body.events.lastSeq, 2);
      const diagnostics = await get(daemon.port, '/diagnostics', daemon.token);
      assert.equal(diagnostics.status, 200);
      assert.match(diagnostics.text, /rediss:\/\/127\.0\.0\.1/);
      await daemon.stop();
      const log = readFileSync(join(h.path, 'logs', 'daemon.log'), 'utf8');
      assert.match(log, /redis store: connected/);
      for (const text of [diagnostics.text, log, daemon.stderr()])
        assert.doesNotMatch(text, new RegExp(PASSWORD));
    } finally {
      await daemon.stop('SIGKILL');
    }
  });

  test('a password in the URL (from the environment) is masked in /diagnostics, the log and stderr', async () => {
    const h = home();
    const url = redis.url.replace('rediss://', `rediss://:${PASSWORD}@`);
    h.writeConfig({
      store: {
        kind: 'redis',
        redis: { prefix: '{e2e-url}', tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } },
      },
    });
    h.env.MPM_MON_STORE_REDIS_URL = url;
    const daemon = await startDaemon(h);
    try {
      const posted = await postEvents(daemon.port, daemon.token, JSON.stringify(hookPayload(1)));
      assert.equal(posted.status, 202, posted.text);
      const diagnostics = await get(daemon.port, '/diagnostics', daemon.token);
      assert.equal(diagnostics.status, 200);
      assert.match(diagnostics.text, /rediss:\/\/:[^@"]+@127\.0\.0\.1/, 'the URL is there, masked');
      await daemon.stop();
      const log = readFileSync(join(h.path, 'logs', 'daemon.log'), 'utf8');
      for (const text of [diagnostics.text, log, daemon.stderr()])
        assert.doesNotMatch(text, new RegExp(PASSWORD));
    } finally {
      await daemon.stop('SIGKILL');
    }
  });

  test('a password file others may read is refused at start-up, naming the key and the fix', () => {
    const h = home();
    // Outside the home: the daemon tightens the files of its home itself.
    const passwordFile = join(temp, 'redis-password-open');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
    h.writeConfig({
      store: { kind: 'redis', redis: { url: redis.url, passwordFile, tls: { ca: certs.ca } } },
    });
    const result = runCli(h, ['--daemon', '--port', '0']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /store\.redis\.passwordFile/);
    assert.match(result.stderr, /chmod 600/);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(PASSWORD));
  });
});

test('a retry that reaches the other daemon of a cluster is acked as a duplicate with its first seq', async () => {
  const cluster = await startCluster();
  const [a, b] = cluster.daemons;
  try {
    const first = await postEvents(a!.port, cluster.token, JSON.stringify(hookPayload(10)));
    assert.equal(first.status, 202, first.text);
    const seq = (first.body as { seqs: number[] }).seqs[0]!;
    const retried = await postEvents(b!.port, cluster.token, JSON.stringify(hookPayload(10)));
    assert.equal(retried.status, 202, retried.text);
    assert.deepEqual(retried.body, { accepted: 1, seqs: [seq], duplicates: 1 });
    const [ackA, ackB] = await Promise.all(
      [a!, b!].map(async (daemon, index) => {
        // One after the other: b's copy is the retry of a's.
        if (index === 1) await new Promise((resolve) => setTimeout(resolve, 50));
        const socket = await connectProducer(daemon.port, cluster.token);
        try {
          return (await socket.timeout(10_000).emitWithAck('event', hookPayload(11))) as IngestAck;
        } finally {
          socket.disconnect();
        }
      }),
    );
    assert.deepEqual(ackA, { ok: true, seq: seq + 1 });
    assert.deepEqual(ackB, { ok: true, seq: seq + 1, duplicate: true });
  } finally {
    await cluster.close();
  }
});
