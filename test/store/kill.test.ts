import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, test } from 'node:test';
import { openTestStore } from './helpers.js';
import { waitFor } from '../helpers/wait.js';
import { draft, seqsOf } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';

let temp: ReturnType<typeof tempDir>;
let child: ChildProcess | undefined;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null)
    process.kill(child.pid, 'SIGKILL');
  temp.remove();
});

test('kill -9 while appending: every acknowledged event survives and seqs continue', async () => {
  const script = fileURLToPath(new URL('./fixtures/append-until-killed.ts', import.meta.url));
  const started = spawn(process.execPath, ['--import', 'tsx', script, temp.path], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let output = '';
  let errors = '';
  started.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  started.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));

  const acked = (): number[] =>
    output
      .split('\n')
      .slice(0, -1)
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
  await waitFor(
    () => acked().length >= 400 || started.exitCode !== null,
    'the child to acknowledge 400 events',
    20_000,
  );
  assert.equal(started.exitCode, null, `the appender died early: ${errors}`);
  process.kill(started.pid!, 'SIGKILL');
  await exited;
  assert.equal(started.signalCode, 'SIGKILL');

  const survived = acked();
  const store = await openTestStore(temp.path, { ringSize: 50 });
  try {
    const highest = Math.max(...survived);
    assert.ok(store.lastSeq >= highest, `lastSeq ${store.lastSeq} < acknowledged ${highest}`);
    const stored = seqsOf(await store.readSince(0, 1_000_000));
    const storedSet = new Set(stored);
    const lost = survived.filter((seq) => !storedSet.has(seq));
    assert.deepEqual(lost, [], 'acknowledged events missing after the kill');
    assert.deepEqual(
      stored,
      [...stored].sort((a, b) => a - b),
    );
    assert.ok(store.stats().segments > 1, 'the run rotated segments');
    const [next] = await store.append([draft(1)]);
    assert.equal(next!.seq, store.lastSeq);
    assert.ok(next!.seq > Math.max(...stored));
  } finally {
    await store.close();
  }
});
