import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  drainSpool,
  listSpool,
  recordSpoolError,
  spoolPayload,
  spoolStats,
  type DeliverOutcome,
  type SpoolEntry,
} from '../../source/store/spool.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';

const fixturesDir = new URL('../fixtures/claude-hooks/', import.meta.url);

const root = dirsRemovedAfter('mpm-mon-spool-')();

let counter = 0;
function freshSpool(): string {
  counter += 1;
  return path.join(root, `spool-${counter}`);
}

function payload(n: number): string {
  return JSON.stringify({ session_id: 's', hook_event_name: 'Stop', n });
}

async function spoolMany(dir: string, count: number, startMs = 1_700_000_000_000): Promise<void> {
  for (let n = 0; n < count; n += 1) {
    // Half of them share a millisecond: the tie-breaker must still keep arrival order.
    const result = await spoolPayload(dir, payload(n), () => startMs + Math.floor(n / 2));
    assert.equal(result.ok, true);
  }
}

function errorLines(dir: string): Array<Record<string, unknown>> {
  const file = path.join(dir, 'errors.log');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('spoolPayload', () => {
  test('writes one private file per payload, named by time, and leaves no temp file', async () => {
    const dir = freshSpool();
    const raw = payload(1);
    const result = await spoolPayload(dir, raw, () => 1_700_000_000_123);
    assert.ok(result.ok);
    assert.match(result.entry.name, /^1700000000123-\d{20}-\d+-\d+\.json$/);
    assert.equal(result.entry.bytes, Buffer.byteLength(raw));
    assert.deepEqual(fs.readdirSync(dir), [result.entry.name]);
    if (process.platform !== 'win32') assert.equal(fs.statSync(result.entry.path).mode & 0o777, 0o600);
    const stored = JSON.parse(fs.readFileSync(result.entry.path, 'utf8'));
    assert.deepEqual(stored, {
      v: 1,
      source: 'hook',
      spooledAt: '2023-11-14T22:13:20.123Z',
      occurredAt: '2023-11-14T22:13:20.123Z',
      payload: raw,
    });
  });

  test('refuses past the file bound and past the byte bound, writing nothing', async () => {
    const dir = freshSpool();
    const limits = { maxFiles: 3, maxBytes: 1_000_000 };
    for (let n = 0; n < 3; n += 1)
      assert.equal((await spoolPayload(dir, payload(n), Date.now, limits)).ok, true);
    const full = await spoolPayload(dir, payload(3), Date.now, limits);
    assert.deepEqual(full.ok ? null : [full.reason, 'files' in full ? full.files : -1], ['spool_full', 3]);
    assert.equal((await listSpool(dir)).length, 3);

    const small = freshSpool();
    const byteLimits = { maxFiles: 100, maxBytes: payload(0).length * 2 };
    assert.equal((await spoolPayload(small, payload(0), Date.now, byteLimits)).ok, true);
    assert.equal((await spoolPayload(small, payload(1), Date.now, byteLimits)).ok, true);
    const over = await spoolPayload(small, payload(2), Date.now, byteLimits);
    assert.equal(over.ok, false);
    assert.equal((await listSpool(small)).length, 2);
  });

  test('a spool path it cannot create is reported, not thrown', async () => {
    const blocker = path.join(root, `blocker-${counter}`);
    fs.writeFileSync(blocker, 'a file, not a directory');
    const result = await spoolPayload(path.join(blocker, 'spool'), payload(0));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'write_failed');
  });
});

describe('listSpool and drainSpool', () => {
  test('a missing spool is empty', async () => {
    const dir = freshSpool();
    assert.deepEqual(await listSpool(dir), []);
    assert.deepEqual(await drainSpool(dir, () => Promise.resolve('ok')), {
      delivered: 0,
      rejected: 0,
      remaining: 0,
      garbage: 0,
    });
    assert.deepEqual(await spoolStats(dir), { files: 0, bytes: 0, oldest: null, errors: 0, bad: 0 });
  });

  test('delivers in arrival order and removes what was delivered', async () => {
    const dir = freshSpool();
    await spoolMany(dir, 7);
    const seen: number[] = [];
    const result = await drainSpool(dir, (raw) => {
      seen.push((JSON.parse(raw) as { n: number }).n);
      return Promise.resolve('ok');
    });
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(result, { delivered: 7, rejected: 0, remaining: 0, garbage: 0 });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('stops at the first retry and keeps the rest, in order, for the next drain', async () => {
    const dir = freshSpool();
    await spoolMany(dir, 5);
    const outcomes: DeliverOutcome[] = ['ok', 'ok', 'retry'];
    const first = await drainSpool(dir, () => Promise.resolve(outcomes.shift() ?? 'ok'));
    assert.deepEqual(first, { delivered: 2, rejected: 0, remaining: 3, garbage: 0 });
    const seen: number[] = [];
    const second = await drainSpool(dir, (raw) => {
      seen.push((JSON.parse(raw) as { n: number }).n);
      return Promise.resolve('ok');
    });
    assert.deepEqual(seen, [2, 3, 4]);
    assert.equal(second.delivered, 3);
  });

  test('a drain started while another runs joins it: nothing is delivered twice', async () => {
    const dir = freshSpool();
    await spoolMany(dir, 6);
    const seen: string[] = [];
    const deliver = async (raw: string): Promise<DeliverOutcome> => {
      seen.push(raw);
      await new Promise((resolve) => setImmediate(resolve));
      return 'ok';
    };
    const [first, second] = await Promise.all([drainSpool(dir, deliver), drainSpool(dir, deliver)]);
    assert.equal(seen.length, 6);
    assert.equal(new Set(seen).size, 6);
    assert.deepEqual(first, second);
    // Once finished, a new drain runs afresh.
    await spoolMany(dir, 1);
    assert.equal((await drainSpool(dir, deliver)).delivered, 1);
  });

  test('a deliver that throws counts as retry: nothing is lost', async () => {
    const dir = freshSpool();
    await spoolMany(dir, 2);
    const result = await drainSpool(dir, () => Promise.reject(new Error('journal unavailable')));
    assert.deepEqual(result, { delivered: 0, rejected: 0, remaining: 2, garbage: 0 });
    assert.equal((await listSpool(dir)).length, 2);
  });

  test('rejected payloads are removed and recorded without their content', async () => {
    const dir = freshSpool();
    await spoolPayload(dir, JSON.stringify({ secret: 'sk-ant-api03-SHOULD-NOT-APPEAR' }));
    await spoolPayload(dir, payload(1));
    const entries: SpoolEntry[] = [];
    const result = await drainSpool(dir, (_raw, entry) => {
      entries.push(entry);
      return Promise.resolve(entries.length === 1 ? 'reject' : 'ok');
    });
    assert.deepEqual(result, { delivered: 1, rejected: 1, remaining: 0, garbage: 0 });
    const lines = errorLines(dir);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.reason, 'rejected_on_drain');
    assert.equal(lines[0]!.file, entries[0]!.name);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'errors.log'), 'utf8'), /sk-ant|SHOULD-NOT/);
  });

  test('garbage (not JSON, wrong shape, stale .tmp) goes to bad/; fresh .tmp and foreign files stay', async () => {
    const dir = freshSpool();
    await spoolMany(dir, 2);
    const name = (ms: number): string => `${ms}-${'0'.repeat(20)}-1-10.json`;
    fs.writeFileSync(path.join(dir, name(1_600_000_000_000)), '{"v":1,"source":"hook","payl');
    fs.writeFileSync(path.join(dir, name(1_600_000_000_001)), '{"v":1,"payload":{"not":"a string"}}');
    fs.writeFileSync(path.join(dir, name(1_600_000_000_002)), '{"v":1,"payload":"not json either"}');
    const staleTmp = path.join(dir, `${name(1_600_000_000_003)}.tmp`);
    fs.writeFileSync(staleTmp, '{"v":1');
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(staleTmp, old, old);
    const freshTmp = path.join(dir, `${name(1_600_000_000_004)}.tmp`);
    fs.writeFileSync(freshTmp, '{"v":1');
    fs.writeFileSync(path.join(dir, 'README'), 'not ours');

    const seen: string[] = [];
    const result = await drainSpool(dir, (raw) => {
      seen.push(raw);
      return Promise.resolve('ok');
    });
    assert.deepEqual(result, { delivered: 2, rejected: 0, remaining: 0, garbage: 4 });
    assert.deepEqual(seen, [payload(0), payload(1)]);
    assert.equal(fs.readdirSync(path.join(dir, 'bad')).length, 4);
    assert.ok(fs.existsSync(freshTmp));
    assert.ok(fs.existsSync(path.join(dir, 'README')));
    const stats = await spoolStats(dir);
    assert.equal(stats.bad, 4);
    assert.equal(stats.files, 0);
  });
});

describe('what a spool file says besides the payload', () => {
  test('occurredAt and truncated are kept and handed to deliver', async () => {
    const dir = freshSpool();
    const truncated = [{ path: '$.tool_input.content', originalBytes: 1_400_000 }];
    const result = await spoolPayload(dir, payload(1), () => 1_700_000_005_000, undefined, {
      occurredAt: '2023-11-14T22:13:20.000Z',
      truncated,
    });
    assert.ok(result.ok);
    const seen: unknown[] = [];
    await drainSpool(dir, (_text, _entry, provenance) => {
      seen.push(provenance);
      return Promise.resolve('ok');
    });
    assert.deepEqual(seen, [{ occurredAt: '2023-11-14T22:13:20.000Z', truncated }]);
  });

  test('a file written before occurredAt existed is still read, with spooledAt in its place', async () => {
    const dir = freshSpool();
    fs.mkdirSync(dir, { recursive: true });
    const name = '1700000000000-00000000000000000001-1-10.json';
    const old = { v: 1, source: 'hook', spooledAt: '2023-11-14T22:13:20.000Z', payload: payload(2) };
    fs.writeFileSync(path.join(dir, name), `${JSON.stringify(old)}\n`);
    const seen: unknown[] = [];
    const drained = await drainSpool(dir, (text, _entry, provenance) => {
      seen.push([text, provenance]);
      return Promise.resolve('ok');
    });
    assert.equal(drained.delivered, 1);
    assert.deepEqual(seen, [[payload(2), { occurredAt: '2023-11-14T22:13:20.000Z', truncated: undefined }]]);
  });
});

describe('spoolStats and errors.log', () => {
  test('counts files, bytes, the oldest payload and error lines', async () => {
    const dir = freshSpool();
    await spoolMany(dir, 3, 1_700_000_000_000);
    await recordSpoolError(dir, { reason: 'invalid_json', size: 5 });
    const stats = await spoolStats(dir);
    assert.equal(stats.files, 3);
    assert.equal(stats.bytes, payload(0).length * 3);
    assert.equal(stats.oldest, new Date(1_700_000_000_000).toISOString());
    assert.equal(stats.errors, 1);
  });

  test('errors.log rotates instead of growing without bound', async () => {
    const dir = freshSpool();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'errors.log'), `${'x'.repeat(1024 * 1024 - 10)}\n`);
    await recordSpoolError(dir, { reason: 'invalid_json', size: 3 }, () => 0);
    assert.ok(fs.existsSync(path.join(dir, 'errors.log.1')));
    assert.deepEqual(errorLines(dir), [
      { time: '1970-01-01T00:00:00.000Z', reason: 'invalid_json', size: 3 },
    ]);
  });
});

describe('fixtures round-trip through the spool', () => {
  const names = fs.readdirSync(fixturesDir).filter((name) => name.endsWith('.json'));
  test('there are fixtures to check', () => assert.ok(names.length >= 5));
  for (const name of names)
    test(name, async () => {
      const dir = freshSpool();
      const raw = fs.readFileSync(new URL(name, fixturesDir), 'utf8');
      assert.equal((await spoolPayload(dir, raw)).ok, true);
      let delivered: string | undefined;
      await drainSpool(dir, (text) => {
        delivered = text;
        return Promise.resolve('ok');
      });
      assert.equal(delivered, raw, 'byte-for-byte the text the hook received');
      assert.deepEqual(await listSpool(dir), []);
    });
});
