/**
 * Several real processes start at once on one home: exactly one takes the PID file, every other gets
 * DaemonConflictError — with no file, over a stale file (the takeover race), and over a garbage file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parsePidFile } from '../../source/protocol/pidfile.js';
import { Children, collectStdout, deadPid } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

const CONTENDERS = 5;
const script = join(import.meta.dirname, 'fixtures', 'acquire-child.ts');
const children = new Children();
after(() => children.killAll());

interface Outcome {
  pid: number;
  outcome: 'acquired' | 'conflict' | 'error';
  message?: string;
}

async function race(prepare: (pidFile: string) => void | Promise<void>): Promise<void> {
  const dir = tempDir();
  const started: ReturnType<Children['spawn']>[] = [];
  try {
    const pidFile = join(dir.path, 'daemon.pid');
    const goFile = join(dir.path, 'go');
    await prepare(pidFile);
    const outputs = Array.from({ length: CONTENDERS }, () => {
      const child = children.spawn(process.execPath, ['--import', 'tsx', script, pidFile, goFile]);
      started.push(child);
      return collectStdout(child);
    });
    // Release them only once every one has loaded and is polling for the go file.
    await waitFor(
      () => outputs.every((output) => output().includes('"ready"')),
      'all contenders ready',
      30_000,
    );
    fs.writeFileSync(goFile, '');
    const outcomes = await waitFor(
      () => {
        const reports = outputs.map((output) =>
          output()
            .split('\n')
            .filter((line) => line.includes('"outcome"'))
            .map((line) => JSON.parse(line) as Outcome),
        );
        return reports.every((lines) => lines.length === 1) ? reports.map((lines) => lines[0]!) : null;
      },
      'every contender to report',
      30_000,
    );
    const winners = outcomes.filter((outcome) => outcome.outcome === 'acquired');
    const conflicts = outcomes.filter((outcome) => outcome.outcome === 'conflict');
    assert.equal(winners.length, 1, `exactly one winner: ${JSON.stringify(outcomes)}`);
    assert.equal(conflicts.length, CONTENDERS - 1, `the others conflict: ${JSON.stringify(outcomes)}`);
    const winner = winners[0]!.pid;
    for (const conflict of conflicts) assert.match(conflict.message ?? '', new RegExp(`pid ${winner}\\b`));
    const parsed = parsePidFile(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(parsed.kind === 'full' && parsed.data.pid === winner, 'the file names the winner');
    assert.deepEqual(fs.readdirSync(dir.path).sort(), ['daemon.pid', 'go'], 'no temp or mutex file left');
  } finally {
    for (const child of started)
      if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
    dir.remove();
  }
}

describe('PID file under contention', () => {
  test(`${CONTENDERS} processes, no file: exactly one wins`, () => race(() => {}));

  test(`${CONTENDERS} processes, stale file of a dead daemon: exactly one takes it over`, () =>
    race(async (pidFile) => {
      const stale = {
        pid: await deadPid(),
        port: 1,
        host: '127.0.0.1',
        startedAt: new Date().toISOString(),
        processStartTime: '1',
        version: 'old',
        nodeVersion: 'v0',
        argv: [],
      };
      fs.writeFileSync(pidFile, JSON.stringify(stale));
    }));

  test(`${CONTENDERS} processes, garbage file: exactly one replaces it`, () =>
    race((pidFile) => fs.writeFileSync(pidFile, 'garbage')));
});
