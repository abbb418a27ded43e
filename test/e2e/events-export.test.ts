// `mpm-mon events` streams an export: page by page, oldest first, with the output the whole-answer form
// gave (computed here from the stored events with the same filter and line format), from the daemon and
// from the journal on disk; a 50,000 × 1 KB export keeps the client's peak RSS bounded; `| head -n 5`
// ends at once with exit 0; a daemon killed part way gives a clear error, exit 1 and no line twice.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { filterFromFlags, parseCount } from '../../source/commands/query-flags.js';
import { io } from 'socket.io-client';
import type { MonEvent } from '../../source/protocol/event.js';
import type { HistoryAck } from '../../source/protocol/messages.js';
import { eventMatcher } from '../../source/protocol/event-filter.js';
import { openJournalStore } from '../../source/store/journal-store.js';
import type { EventDraft } from '../../source/store/types.js';
import { formatEventLine } from '../../source/tui/plain.js';
import { CLI, type DaemonProcess, runCliAsync, startDaemon } from '../helpers/daemon.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { type Home, makeHome } from '../helpers/temp-home.js';

const COUNT = 50_000;
const TYPES = ['PreToolUse', 'PostToolUse', 'Notification', 'Stop'];
const START = Date.UTC(2026, 0, 1);
/** Prints the process's peak RSS (MB) on stderr as it exits. */
const PEAK_RSS = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => writeSync(2, `peak-rss-mb=${process.resourceUsage().maxRSS / 1024}\\n`));",
)}`;

function draftOf(n: number): EventDraft {
  const at = new Date(START + n * 1000).toISOString();
  return {
    id: `export-${n}`,
    receivedAt: at,
    occurredAt: at,
    // Notification and Stop are rare, so a --type page spans many seqs.
    type: n % 97 === 0 ? 'Stop' : n % 13 === 0 ? 'Notification' : TYPES[n % 2]!,
    sessionId: `session-${n % 5}`,
    source: 'hook',
    tool: 'Bash',
    cwd: '/project',
    data: { n, filler: 'x'.repeat(900) },
  };
}

/** The answer as a whole: every stored event through the filter, then --last N (or 100 unranged). */
function expected(stored: readonly MonEvent[], args: string[], json: boolean): string {
  const flag = (name: string): string | undefined => {
    const at = args.indexOf(`--${name}`);
    return at < 0 ? undefined : args[at + 1];
  };
  const filter = filterFromFlags(
    { since: flag('since'), until: flag('until'), session: flag('session'), type: flag('type') },
    Date.now(),
  );
  const last = parseCount('last', flag('last'));
  const ranged = Object.keys(filter).some((key) => key !== 'sessionId' && key !== 'type');
  const want = last ?? (ranged ? Infinity : 100);
  const matches = eventMatcher(filter) ?? (() => true);
  const kept = stored.filter(matches);
  const shown = want === 0 ? [] : Number.isFinite(want) ? kept.slice(-want) : kept;
  return shown.map((event) => `${json ? JSON.stringify(event) : formatEventLine(event)}\n`).join('');
}

const QUERIES: string[][] = [
  ['--since', '0', '--json'],
  ['--since', '0'],
  [],
  ['--last', '12001', '--json'],
  ['--last', '0'],
  ['--type', 'Stop', '--since', '0', '--json'],
  ['--type', 'Notification', '--last', '6000'],
  ['--session', 'session-3', '--since', '7000', '--until', '31000', '--json'],
  ['--session', 'session-1', '--last', '5000'],
  ['--since', new Date(START + 44_000 * 1000).toISOString(), '--json'],
  ['--until', new Date(START + 9000 * 1000).toISOString(), '--type', 'PostToolUse'],
];

/** `events --since 0 --json` run to the end under the peak-RSS harness. */
function fullExport(home: Home): SpawnSyncReturns<string> {
  const args = ['--import', PEAK_RSS, CLI, 'events', '--since', '0', '--json'];
  return spawnSync(process.execPath, args, {
    env: home.env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: 120_000,
  });
}

const peakRss = (stderr: string): number => Number(/peak-rss-mb=([\d.]+)/.exec(stderr)?.[1]);

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

describe('mpm-mon events streams an export', () => {
  let home: Home;
  let daemon: DaemonProcess;
  let stored: MonEvent[] = [];

  before(async () => {
    home = makeHome();
    const store = await openJournalStore({
      dir: join(home.path, 'journal'),
      ringSize: 1000,
      segmentBytes: 4 * 1024 * 1024,
      maxBytes: 1024 * 1024 * 1024,
      logger: recordingLogger(),
    });
    for (let n = 1; n <= COUNT; n += 1000) {
      const batch = Array.from({ length: Math.min(1000, COUNT + 1 - n) }, (_, i) => draftOf(n + i));
      stored.push(...(await store.append(batch)));
    }
    await store.close();
    // What the daemon hands back (a round trip through JSON, `duplicate` never set here).
    stored = stored.map((event) => JSON.parse(JSON.stringify(event)) as MonEvent);
    daemon = await startDaemon(home);
  });
  after(async () => {
    await daemon?.stop();
    home?.remove();
  });

  test('each filter prints what the whole answer held, in the same order', async () => {
    for (const args of QUERIES) {
      const json = args.includes('--json');
      const result = await runCliAsync(home, ['events', ...args]);
      assert.equal(result.code, 0, `events ${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stderr, '', `events ${args.join(' ')} writes nothing on stderr`);
      const want = expected(stored, args, json);
      assert.ok(args.includes('--last') || want.length > 0, `events ${args.join(' ')} selects something`);
      assert.equal(result.stdout, want, `events ${args.join(' ')}`);
    }
  });

  test('a 50,000 × 1 KB export holds a page at a time (peak RSS well under the whole answer)', () => {
    const result = fullExport(home);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(lines(result.stdout).length, COUNT);
    const peak = peakRss(result.stderr);
    assert.ok(peak > 0, `the harness printed the peak RSS: ${result.stderr}`);
    assert.ok(peak < 200, `peak RSS ${peak.toFixed(0)} MB < 200 MB`);
  });

  test('`| head -n 5` ends at once with exit 0', () => {
    const started = Date.now();
    const result = spawnSync(
      'bash',
      ['-c', 'set -o pipefail; "$0" "$1" events --since 0 --json | head -n 5', process.execPath, CLI],
      { env: home.env, encoding: 'utf8', timeout: 60_000 },
    );
    const took = Date.now() - started;
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.deepEqual(
      lines(result.stdout).map((line) => (JSON.parse(line) as MonEvent).seq),
      [1, 2, 3, 4, 5],
    );
    // The whole export takes several seconds here; the first page alone is well under them.
    assert.ok(took < 8000, `took ${took} ms`);
  });

  test('history takes an optional `after` seq floor, checked like its other fields', async () => {
    const socket = io(`http://127.0.0.1:${daemon.port}/dashboard`, {
      transports: ['websocket'],
      auth: { token: daemon.token },
      reconnection: false,
      forceNew: true,
    });
    try {
      const ask = async (request: Record<string, unknown>): Promise<HistoryAck> =>
        (await socket.timeout(30_000).emitWithAck('history', request)) as HistoryAck;
      const seqs = (answer: HistoryAck): number[] =>
        answer.ok ? answer.events.map((event) => event.seq) : [];
      assert.deepEqual(seqs(await ask({ after: 10, before: 15, limit: 100 })), [11, 12, 13, 14]);
      // An older client sends no `after`: the newest below `before`, as before.
      assert.deepEqual(seqs(await ask({ before: 15, limit: 3 })), [12, 13, 14]);
      for (const after of [-1, 1.5, 'ten', null]) {
        const answer = await ask({ after, before: 15, limit: 3 });
        assert.ok(!answer.ok, `after ${JSON.stringify(after)} is refused`);
        assert.equal(answer.error.code, 'invalid_request');
        assert.match(answer.error.message, /"after" must be an integer seq >= 0/);
      }
    } finally {
      socket.disconnect();
    }
  });

  test('the daemon killed part way: a clear error after what was printed, exit 1, no line twice', async () => {
    const child = spawn(process.execPath, [CLI, 'events', '--since', '0', '--json'], {
      env: home.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = new Promise<number | null>((resolve) => child.once('close', resolve));
    // Stop reading at the first output: the export then stalls on the full pipe, part way.
    await new Promise<void>((resolve) =>
      child.stdout.setEncoding('utf8').once('data', (chunk: string) => {
        stdout += chunk;
        child.stdout.pause();
        resolve();
      }),
    );
    await daemon.stop('SIGKILL');
    const killed = Date.now();
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.stdout.resume();
    assert.equal(await code, 1, stderr);
    // Not the 30 s history timeout: the disconnect itself ends it.
    assert.ok(Date.now() - killed < 10_000, `ended ${Date.now() - killed} ms after the kill`);
    const seqs = lines(stdout).map((line) => (JSON.parse(line) as MonEvent).seq);
    assert.ok(seqs.length > 0 && seqs.length < COUNT, `printed ${seqs.length} of ${COUNT}`);
    assert.deepEqual(
      seqs,
      seqs.map((_, index) => index + 1),
      'each seq once, in order, from the first',
    );
    assert.match(
      stderr,
      new RegExp(`the export stopped after ${seqs.length} events \\(the last printed: seq ${seqs.at(-1)}\\)`),
    );
    assert.match(stderr, new RegExp(`--since ${seqs.at(-1)}`));
    assert.doesNotMatch(stderr, /reading the journal on disk/);
  });

  test('with the daemon down the journal on disk gives the same output, streamed', async () => {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) await daemon.stop();
    for (const args of [QUERIES[0]!, QUERIES[3]!, QUERIES[6]!, QUERIES[7]!]) {
      const result = await runCliAsync(home, ['events', ...args]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /reading the journal on disk/);
      assert.equal(
        result.stdout,
        expected(stored, args, args.includes('--json')),
        `events ${args.join(' ')}`,
      );
    }
    const result = fullExport(home);
    assert.equal(lines(result.stdout).length, COUNT);
    const peak = peakRss(result.stderr);
    assert.ok(peak > 0 && peak < 200, `peak RSS from disk ${peak} MB < 200 MB`);
  });
});
