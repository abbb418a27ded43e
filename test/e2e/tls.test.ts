// Across machines, with the real parts: a daemon from dist/ on 127.0.0.1 serving HTTPS/WSS with a
// certificate this test makes (test/helpers/certs.ts), and clients in another MPM_MON_HOME that reach
// it only by `url` with `tokenFile` — the real hook binary, `events`, `status`, `doctor` and the
// DashboardClient over WSS. Verification never falls back: a wrong CA refuses, the hook spools and its
// event drains later. The start-up refusals name the key and the fix, and no output holds the token.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as plainRequest } from 'node:http';
import { request as secureRequest } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DashboardClient } from '../../source/client/dashboard-client.js';
import type { MonEvent } from '../../source/protocol/event.js';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';
import { type DaemonProcess, runCli, startDaemon } from '../helpers/daemon.js';
import { hookPayload } from '../helpers/events.js';
import { dirsRemovedAfter, homesRemovedAfter, type Home } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

const BINARY = fileURLToPath(new URL('../../dist/mpm-mon.cjs', import.meta.url));
const home = homesRemovedAfter();
const dir = dirsRemovedAfter('mpm-mon-tls-e2e-');

/** Everything any process printed, checked for the token at the end. */
const printed: string[] = [];

function cli(target: Home, args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const result = runCli(target, args, input, env);
  printed.push(result.stdout, result.stderr);
  return result;
}

/** The real binary's hook (dist/mpm-mon.cjs → dist/hook.cjs), with a timeout a loaded machine meets. */
function runHook(target: Home, payload: Record<string, unknown>): void {
  const result = spawnSync(process.execPath, [BINARY, 'hook'], {
    env: { ...target.env, MPM_MON_HOOK_TIMEOUT_MS: '5000' },
    input: JSON.stringify(payload),
    encoding: 'utf8',
    timeout: 60_000,
  });
  printed.push(result.stdout, result.stderr);
  assert.equal(result.status, 0);
  assert.equal(result.stdout, '', 'the hook prints nothing on stdout');
}

interface Answer {
  status: number;
  body: string;
}

/** One POST /events over https (verified with `ca`, or the system's CAs) or clear-text http. */
function post(
  scheme: 'http' | 'https',
  port: number,
  token: string,
  payload: unknown,
  ca?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(payload);
    const options = {
      host: '127.0.0.1',
      port,
      path: '/events',
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    };
    const onAnswer = (res: import('node:http').IncomingMessage): void => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    };
    const req =
      scheme === 'https'
        ? secureRequest({ ...options, ...(ca ? { ca: readFileSync(ca, 'utf8') } : {}) }, onAnswer)
        : plainRequest(options, onAnswer);
    req.on('error', reject);
    req.end(body);
  });
}

/** GET `path` over https with the token, verified with `ca`; the parsed JSON body. */
function getJson(port: number, path: string, token: string, ca: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = secureRequest(
      { host: '127.0.0.1', port, path, agent: false, ca, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text) as unknown);
          } catch {
            reject(new Error(`not JSON: ${text.slice(0, 80)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function storedEvents(target: Home): MonEvent[] {
  const result = cli(target, ['events', '--json', '--last', '1000']);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as MonEvent);
}

function spoolFiles(target: Home): string[] {
  try {
    return readdirSync(join(target.path, 'spool')).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
}

function secretFile(path: string, text: string, mode = 0o600): string {
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}

describe('a daemon serving HTTPS/WSS to clients that reach it by url', () => {
  let certs: TestCertificates;
  let server: Home;
  let daemon: DaemonProcess;
  let tokenFile: string;
  /** A client machine: its own home, no daemon, only `url` + `tokenFile` + `tls.ca`. */
  let client: Home;
  let url: string;

  before(async () => {
    const folder = dir();
    certs = makeCertificates(folder);
    server = home();
    server.writeConfig({ tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca } });
    daemon = await startDaemon(server, ['--port', '0'], { ca: certs.ca });
    tokenFile = secretFile(join(folder, 'token'), `${daemon.token}\n`);
    // `localhost` is one of the certificate's names; the client verifies it against the URL.
    url = `https://localhost:${daemon.port}`;
    client = home();
    client.writeConfig({ url, tokenFile, tls: { ca: certs.ca } });
  });

  after(async () => {
    await daemon?.stop();
    const log = readFileSync(join(server.path, 'logs', 'daemon.log'), 'utf8');
    for (const text of [...printed, daemon.stderr(), log])
      assert.ok(!text.includes(daemon.token), 'the token appears in no output and no log');
  });

  test('the PID file says https and pins the certificate; /status says TLS is on', () => {
    const pid = server.pidFile();
    assert.equal(pid?.scheme, 'https');
    assert.match(pid?.tlsFingerprint ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const status = cli(client, ['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const parsed = JSON.parse(status.stdout) as { url: string; status: { tls?: boolean; pid: number } };
    assert.equal(parsed.url, url);
    assert.equal(parsed.status.tls, true);
    assert.equal(parsed.status.pid, daemon.pid);
  });

  test('POST /events over https is accepted with the CA, refused without it; clear text fails', async () => {
    const accepted = await post('https', daemon.port, daemon.token, hookPayload(1, 'sess-tls'), certs.ca);
    assert.equal(accepted.status, 202, accepted.body);
    await assert.rejects(
      post('https', daemon.port, daemon.token, hookPayload(2, 'sess-tls')),
      (error: NodeJS.ErrnoException) => error.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    await assert.rejects(
      post('https', daemon.port, daemon.token, hookPayload(3, 'sess-tls'), certs.otherCa),
      (error: NodeJS.ErrnoException) => error.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    // A clear-text request gets no HTTP answer: the TLS handshake fails and the connection is closed.
    await assert.rejects(post('http', daemon.port, daemon.token, hookPayload(4, 'sess-tls')));
    const tools = storedEvents(server)
      .filter((event) => event.sessionId === 'sess-tls')
      .map((event) => event.data.tool_use_id);
    assert.deepEqual(tools, ['toolu_1'], 'only the verified post was stored');
  });

  test('the real hook with url + tokenFile posts over TLS; the event is stored', async () => {
    runHook(client, hookPayload(10, 'sess-hook'));
    assert.deepEqual(spoolFiles(client), [], 'delivered, not spooled');
    const stored = await waitFor(
      () => storedEvents(server).find((event) => event.sessionId === 'sess-hook'),
      'the hook event in the daemon',
    );
    assert.equal(stored.source, 'hook');
  });

  test('a hook against a wrong CA spools (never posting unverified); the event drains later', async () => {
    const wrong = home();
    wrong.writeConfig({ url, tokenFile, tls: { ca: certs.otherCa } });
    runHook(wrong, hookPayload(20, 'sess-spool'));
    assert.equal(spoolFiles(wrong).length, 1, 'spooled');
    const errors = readFileSync(join(wrong.path, 'spool', 'errors.log'), 'utf8');
    assert.match(errors, /"reason":"tls_refused"/);
    assert.match(errors, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    assert.ok(
      !storedEvents(server).some((event) => event.sessionId === 'sess-spool'),
      'nothing reached the daemon',
    );
    // The CA fixed: the next hook delivers its own event and hands over the spooled one, in order.
    wrong.writeConfig({ url, tokenFile, tls: { ca: certs.ca } });
    runHook(wrong, hookPayload(21, 'sess-spool'));
    const tools = await waitFor(() => {
      const found = storedEvents(server)
        .filter((event) => event.sessionId === 'sess-spool')
        .map((event) => event.data.tool_use_id);
      return found.length === 2 ? found : null;
    }, 'both events of the spooled session');
    assert.deepEqual(tools, ['toolu_21', 'toolu_20']);
    const drained = storedEvents(server).find((event) => event.data.tool_use_id === 'toolu_20');
    assert.ok(
      drained && (drained.occurredAt ?? '') < drained.receivedAt,
      'the spooled event keeps when it happened',
    );
    assert.deepEqual(spoolFiles(wrong), [], 'the spool drained');
  });

  test('a DashboardClient receives live events over WSS; a wrong CA is a TLS refusal, not a fallback', async () => {
    const received: MonEvent[] = [];
    const client = new DashboardClient(
      {
        scheme: 'https',
        host: 'localhost',
        port: daemon.port,
        token: daemon.token,
        tls: { ca: readFileSync(certs.ca, 'utf8') },
      },
      { onEvents: (events) => received.push(...events) },
    );
    let connected = false;
    client.start();
    try {
      await waitFor(() => client.connected, 'the viewer to connect over WSS');
      connected = true;
      const answer = await post('https', daemon.port, daemon.token, hookPayload(30, 'sess-live'), certs.ca);
      assert.equal(answer.status, 202);
      const live = await waitFor(
        () => received.find((event) => event.sessionId === 'sess-live'),
        'the live event over WSS',
      );
      assert.equal(live.data.tool_use_id, 'toolu_30');
    } finally {
      client.stop();
    }
    assert.ok(connected);

    let refusal: string | undefined;
    const untrusting = new DashboardClient(
      {
        scheme: 'https',
        host: 'localhost',
        port: daemon.port,
        token: daemon.token,
        tls: { ca: readFileSync(certs.otherCa, 'utf8') },
      },
      {
        onState: (state) => {
          if (state.kind === 'reconnecting' && state.tls) refusal = state.tls;
        },
      },
    );
    untrusting.start();
    try {
      assert.equal(await waitFor(() => refusal, 'the TLS refusal'), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      assert.equal(untrusting.connected, false);
    } finally {
      untrusting.stop();
    }
  });

  test('events --json and doctor over the url; a wrong CA is a clear error naming the fix', () => {
    const events = cli(client, ['events', '--json', '--last', '1000']);
    assert.equal(events.code, 0, events.stderr);
    assert.ok(events.stdout.includes('"sess-hook"'), 'the stored events, from the daemon elsewhere');

    const sessions = cli(client, ['sessions', '--json']);
    assert.equal(sessions.code, 0, sessions.stderr);
    assert.ok(sessions.stdout.includes('"sess-hook"'), 'the sessions of the daemon elsewhere');

    const doctor = cli(client, ['doctor', '--json']);
    const report = JSON.parse(doctor.stdout) as {
      checks: Array<{ name: string; status: string; message: string }>;
    };
    const check = (name: string) => report.checks.find((entry) => entry.name === name);
    assert.equal(check('reachable')?.status, 'pass', check('reachable')?.message);
    assert.equal(check('auth')?.status, 'pass', check('auth')?.message);
    assert.match(check('port')?.message ?? '', /not checked/);

    const wrong = home();
    wrong.writeConfig({ url, tokenFile, tls: { ca: certs.otherCa } });
    const refused = cli(wrong, ['events', '--json']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /DAEMON_TLS_UNTRUSTED/);
    assert.match(refused.stderr, /tls\.ca/);
    assert.match(refused.stderr, /nothing was sent/);
    const wrongDoctor = cli(wrong, ['doctor', '--json']);
    const reachable = (
      JSON.parse(wrongDoctor.stdout) as { checks: Array<{ name: string; status: string; message: string }> }
    ).checks.find((entry) => entry.name === 'reachable');
    assert.equal(reachable?.status, 'fail');
    assert.match(reachable?.message ?? '', /does not verify/);
  });

  test('a token file others may read is refused with the chmod fix; MPM_MON_TOKEN works instead', () => {
    const open = secretFile(join(dir(), 'token-open'), `${daemon.token}\n`, 0o644);
    const loose = home();
    loose.writeConfig({ url, tokenFile: open, tls: { ca: certs.ca } });
    const refused = cli(loose, ['events', '--json']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /"tokenFile"/);
    assert.match(refused.stderr, /mode 0644/);
    assert.match(refused.stderr, /chmod 600/);
    const doctor = cli(loose, ['doctor', '--json']);
    const reachable = (
      JSON.parse(doctor.stdout) as { checks: Array<{ name: string; status: string; message: string }> }
    ).checks.find((entry) => entry.name === 'reachable');
    assert.equal(reachable?.status, 'fail');
    assert.match(reachable?.message ?? '', /"tokenFile"[\s\S]*chmod 600/);
    const fromEnv = cli(loose, ['events', '--json', '--last', '1'], undefined, {
      MPM_MON_TOKEN: daemon.token,
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal(fromEnv.stdout.trim().split('\n').length, 1);
  });

  test('local clients of the TLS daemon use https, verified by tls.ca and the pinned certificate', () => {
    const status = cli(server, ['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { status: { tls: boolean } }).status.tls, true);
    runHook(server, hookPayload(40, 'sess-local'));
    assert.deepEqual(spoolFiles(server), []);
    assert.ok(storedEvents(server).some((event) => event.sessionId === 'sess-local'));
  });
});

describe('a TLS daemon whose certificate names only another host', () => {
  test('clients on its machine reach it on 127.0.0.1 by the pinned certificate; by name it would not verify', async () => {
    const certs = makeCertificates(dir());
    const server = home();
    server.writeConfig({ tls: { cert: certs.elsewhereCert, key: certs.elsewhereKey, ca: certs.ca } });
    const daemon = await startDaemon(server, ['--port', '0'], { ca: certs.ca });
    try {
      await assert.rejects(
        post('https', daemon.port, daemon.token, hookPayload(60, 'sess-pin'), certs.ca),
        (error: NodeJS.ErrnoException) => error.code === 'ERR_TLS_CERT_ALTNAME_INVALID',
      );
      runHook(server, hookPayload(61, 'sess-pin'));
      assert.deepEqual(spoolFiles(server), [], 'the local hook delivered');
      const status = cli(server, ['status', '--json']);
      assert.equal((JSON.parse(status.stdout) as { status: { tls: boolean } }).status.tls, true);
      assert.deepEqual(
        storedEvents(server)
          .filter((event) => event.sessionId === 'sess-pin')
          .map((event) => event.data.tool_use_id),
        ['toolu_61'],
      );
    } finally {
      await daemon.stop();
    }
  });
});

describe('connections that fail their TLS handshake', () => {
  test('are closed and counted out: with limits.maxConnections 4, a dozen failures leave room for a client', async () => {
    const certs = makeCertificates(dir());
    const server = home();
    server.writeConfig({
      limits: { maxConnections: 4 },
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca },
    });
    const daemon = await startDaemon(server, ['--port', '0'], { ca: certs.ca });
    try {
      for (let attempt = 0; attempt < 6; attempt++) {
        await assert.rejects(post('http', daemon.port, daemon.token, hookPayload(70, 'sess-fail')));
        await assert.rejects(post('https', daemon.port, daemon.token, hookPayload(71, 'sess-fail')));
      }
      const answer = await waitFor(
        () =>
          post('https', daemon.port, daemon.token, hookPayload(72, 'sess-fail'), certs.ca).catch(() => null),
        'a verified client to get a connection',
      );
      assert.equal(answer.status, 202);
    } finally {
      await daemon.stop();
    }
  });
});

describe('start-up refusals of the TLS settings', () => {
  let certs: TestCertificates;
  before(() => {
    certs = makeCertificates(dir());
  });

  /** `mpm-mon --daemon` that must not start: its exit code and what it printed. */
  function refusedStart(config: Record<string, unknown>, args: string[] = []): string {
    const target = home();
    target.writeConfig(config);
    const result = cli(target, ['--daemon', '--port', '0', ...args]);
    assert.equal(result.code, 1, `refused (${result.stderr})`);
    assert.equal(target.pidFile(), null, 'never listened');
    return result.stderr;
  }

  test('a non-loopback host without cert and key (TEST-NET, never listened on)', () => {
    const text = refusedStart({}, ['--host', '192.0.2.1']);
    assert.match(text, /"host"/);
    assert.match(text, /192\.0\.2\.1/);
    assert.match(text, /tls\.cert and tls\.key/);
    assert.match(text, /tls\.insecure/);
  });

  test('only one of cert and key; a key others may read; a PEM that does not parse; a cert its CA did not sign', () => {
    assert.match(refusedStart({ tls: { cert: certs.serverCert } }), /"tls\.cert"[\s\S]*set tls\.key too/);
    const open = join(dir(), 'open.key');
    writeFileSync(open, readFileSync(certs.serverKey));
    chmodSync(open, 0o644);
    const loose = refusedStart({ tls: { cert: certs.serverCert, key: open, ca: certs.ca } });
    assert.match(loose, /"tls\.key"/);
    assert.match(loose, /chmod 600/);
    const garbage = secretFile(join(dir(), 'garbage.pem'), 'not a certificate\n', 0o644);
    assert.match(
      refusedStart({ tls: { cert: garbage, key: certs.serverKey, ca: certs.ca } }),
      /"tls\.cert"[\s\S]*does not parse/,
    );
    assert.match(
      refusedStart({ tls: { cert: certs.serverCert, key: certs.clientKey, ca: certs.ca } }),
      /"tls\.key"[\s\S]*belongs to another certificate/,
    );
    assert.match(
      refusedStart({ tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.otherCa } }),
      /"tls\.ca"[\s\S]*the CA that signed tls\.cert/,
    );
  });

  test('a client url in clear text to another machine is refused unless tls.insecure', () => {
    const target = home();
    target.writeConfig({ url: 'http://192.0.2.1:8765' });
    const result = cli(target, ['events', '--json']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /"url"/);
    assert.match(result.stderr, /https:\/\//);
    assert.match(result.stderr, /tls\.insecure/);
  });
});

describe('recovery of a TLS daemon', () => {
  test('restart-service replaces HTTPS and WSS in-process; a WSS viewer resumes and gets the next event', async () => {
    const certs = makeCertificates(dir());
    const server = home();
    // Memory fails from the start; the cool-down leaves seconds between the ladder's steps.
    server.writeConfig({
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca },
      health: { intervalMs: 100, hysteresisRuns: 1, thresholds: { memoryMb: { warn: 1, fail: 2 } } },
      recovery: { cooldownMs: 1500, breaker: { failureThreshold: 50, resetTimeoutMs: 600_000 } },
    });
    const daemon = await startDaemon(server, ['--port', '0'], { ca: certs.ca });
    const ca = readFileSync(certs.ca, 'utf8');
    const received: MonEvent[] = [];
    const viewer = new DashboardClient(
      {
        scheme: 'https',
        host: '127.0.0.1',
        port: daemon.port,
        token: daemon.token,
        tls: { ca, pin: server.pidFile()?.tlsFingerprint },
        since: 0,
        backoff: { initialMs: 20, maxMs: 200, randomizationFactor: 0.2 },
      },
      { onEvents: (events) => received.push(...events) },
    ).start();
    try {
      await waitFor(async () => {
        const diagnostics = (await getJson(daemon.port, '/diagnostics', daemon.token, ca).catch(
          () => null,
        )) as { recovery?: { log?: Array<{ action: string }> } } | null;
        return diagnostics?.recovery?.log?.some((entry) => entry.action === 'restart-service');
      }, 'restart-service to run');
      const answer = await waitFor(
        () =>
          post('https', daemon.port, daemon.token, hookPayload(50, 'after-restart'), certs.ca).then(
            (posted) => (posted.status === 202 ? posted : null),
            () => null,
          ),
        'the restarted listener to take the event over https',
      );
      assert.equal(answer.status, 202);
      await waitFor(
        () => received.some((event) => event.sessionId === 'after-restart'),
        'the event at the WSS viewer after the restart',
      );
    } finally {
      viewer.stop();
      await daemon.stop('SIGKILL');
    }
  });
});
