/** MPM_MON_PARENT_PID: a daemon whose parent process is gone stops on its own, however it was started. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parentPidFrom, PARENT_PID_ENV } from '../../source/instance/parent-watch.js';
import { isAlive } from '../../source/instance/alive.js';
import { CLI } from '../helpers/daemon.js';
import { Children, collectStdout, exited } from '../helpers/processes.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

const children = new Children();
const home = homesRemovedAfter();
after(() => children.killAll());

describe('parentPidFrom', () => {
  test('unset or empty: no parent to watch', () => {
    assert.equal(parentPidFrom({}), null);
    assert.equal(parentPidFrom({ [PARENT_PID_ENV]: '' }), null);
  });

  test('a PID is read as a number', () => {
    assert.equal(parentPidFrom({ [PARENT_PID_ENV]: '4242' }), 4242);
  });

  test('anything else names the variable, the value and what is expected', () => {
    for (const bad of ['0', '-1', '12.5', 'self'])
      assert.throws(
        () => parentPidFrom({ [PARENT_PID_ENV]: bad }),
        (error: Error) =>
          error.message.includes(PARENT_PID_ENV) &&
          error.message.includes(JSON.stringify(bad)) &&
          error.message.includes('positive whole number'),
      );
  });
});

describe('a daemon with MPM_MON_PARENT_PID', () => {
  test('stops once that process is gone, though it was started by another', async () => {
    const h = home();
    // A stand-in parent: it starts the daemon, prints its pid, then waits to be killed.
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, [${JSON.stringify(CLI)}, '--daemon', '--port', '0'], {
        env: { ...process.env, ${PARENT_PID_ENV}: String(process.pid) },
        stdio: 'ignore',
        detached: true,
      });
      child.unref();
      console.log(child.pid);
      setInterval(() => {}, 1 << 30);`;
    const parent = children.spawn(process.execPath, ['-e', script], { env: h.env });
    const stdout = collectStdout(parent);
    const daemonPid = Number(await waitFor(() => /^(\d+)\n/.exec(stdout())?.[1], 'the daemon pid'));
    await waitFor(() => h.pidFile()?.port, 'the daemon to listen', 30_000);
    assert.ok(isAlive(daemonPid), 'the daemon runs while its parent lives');

    process.kill(parent.pid!, 'SIGKILL');
    await exited(parent);
    try {
      await waitFor(() => !isAlive(daemonPid), 'the daemon to stop after its parent', 30_000);
    } finally {
      if (isAlive(daemonPid)) process.kill(daemonPid, 'SIGKILL');
    }
    assert.equal(h.pidFile(), null, 'a graceful stop removes the PID file');
  });
});
