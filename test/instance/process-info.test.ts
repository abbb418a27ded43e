import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  describeProcess,
  isZombie,
  parseProcStat,
  parseTasklistName,
  readProcessStartTime,
} from '../../source/instance/process-info.js';
import { Children, collectStdout, deadPid } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';
import { isAlive } from '../../source/instance/alive.js';

const linux = process.platform === 'linux';
const posix = process.platform !== 'win32';
const children = new Children();
after(() => children.killAll());

describe('isAlive', () => {
  test('this process is alive, an exited and reaped child is not', async () => {
    assert.equal(isAlive(process.pid), true);
    assert.equal(isAlive(await deadPid()), false);
  });

  test('never signals a process group: 0, negative and fractional PIDs are not alive', () => {
    for (const pid of [0, -1, -process.pid, 1.5, Number.NaN]) assert.equal(isAlive(pid), false, String(pid));
  });
});

describe('parseProcStat', () => {
  const tail = (state: string, start: string) =>
    `${state} 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 ${start} 20 21 22`;

  test('reads state, ppid and field 22 even when the command holds spaces and parentheses', () => {
    const stat = parseProcStat(`4242 (we (ird) ) name)) ${tail('S', '987654')}`);
    assert.deepEqual(stat, { state: 'S', ppid: 1, startTime: '987654' });
  });

  test('reads a zombie state', () => {
    assert.equal(parseProcStat(`7 (node) ${tail('Z', '11')}`)?.state, 'Z');
  });

  test('refuses text that is not a stat line', () => {
    assert.equal(parseProcStat(''), null);
    assert.equal(parseProcStat('12 (short) S 1 2'), null);
    assert.equal(parseProcStat(`12 (x) ${tail('S', 'abc')}`), null);
  });
});

describe('readProcessStartTime', () => {
  test(
    'is stable for one process and differs for a process started later',
    { skip: posix ? false : 'needs POSIX process tools' },
    async () => {
      const mine = await readProcessStartTime(process.pid);
      assert.ok(mine, 'the OS reports a start time');
      assert.equal(await readProcessStartTime(process.pid), mine);
      const child = children.idle();
      await waitFor(() => child.pid !== undefined, 'the child to start');
      const theirs = await readProcessStartTime(child.pid!);
      assert.ok(theirs);
      assert.notEqual(theirs, mine);
      if (linux) assert.ok(Number(theirs) > Number(mine), `${theirs} is after ${mine}`);
    },
  );

  test('is null for a process that does not exist', async () => {
    assert.equal(await readProcessStartTime(await deadPid()), null);
    assert.equal(await readProcessStartTime(0), null);
  });

  test('is null on Windows, which it does not ask', async () => {
    assert.equal(await readProcessStartTime(process.pid, 'win32'), null);
  });
});

describe('isZombie', () => {
  test(
    'sees a real zombie: a child whose parent never waits for it',
    { skip: posix ? false : 'needs POSIX process tools' },
    async () => {
      // sh starts `sleep 0` in the background, prints its pid and becomes `sleep 30`, which never reaps it.
      const parent = children.spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30']);
      const stdout = collectStdout(parent);
      const zombie = Number(await waitFor(() => /^(\d+)\n/.exec(stdout())?.[1], 'the zombie pid'));
      await waitFor(() => isZombie(zombie), `pid ${zombie} to become a zombie`);
      assert.equal(isAlive(zombie), true, 'a zombie still answers kill(pid, 0)');
      assert.equal(await isZombie(process.pid), false);
    },
  );

  test('a dead pid is not a zombie', async () => {
    assert.equal(await isZombie(await deadPid()), false);
  });
});

describe('describeProcess', () => {
  test(
    'names the command and the start time of a live process',
    { skip: posix ? false : 'needs POSIX process tools' },
    async () => {
      const child = children.idle();
      await waitFor(() => child.pid !== undefined, 'the child to start');
      const described = await waitFor(async () => {
        const info = await describeProcess(child.pid!);
        return info.command?.includes('setInterval') ? info : null;
      }, 'the child command line');
      assert.equal(described.pid, child.pid);
      assert.ok(described.startTime);
    },
  );

  test('gives nulls for a process that does not exist', async () => {
    const pid = await deadPid();
    assert.deepEqual(await describeProcess(pid), { pid, command: null, startTime: null });
  });
});

test('parseTasklistName reads the image name of a CSV line', () => {
  assert.equal(parseTasklistName('"node.exe","1234","Console","1","45,000 K"\r\n'), 'node.exe');
  assert.equal(parseTasklistName('INFO: No tasks are running which match the specified criteria.'), null);
});
