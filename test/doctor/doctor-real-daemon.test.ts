/** doctor against a real daemon, just started, in its own home. */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { httpJson } from '../../source/client/http-json.js';
import { isHealthBody } from '../../source/doctor/http-probe.js';
import { waitFor } from '../helpers/wait.js';
import { startDaemon, type DaemonProcess } from '../helpers/daemon.js';
import { makeHome, type Home } from '../helpers/temp-home.js';
import { check, doctor, type Sandbox } from './sandbox.js';

let home: Home;
let daemon: DaemonProcess;
let box: Sandbox;
before(async () => {
  home = makeHome();
  // Every start-up blocks the loop for more than 1 ms: without the start-up grace this is a warning.
  home.writeConfig({
    health: { intervalMs: 200, thresholds: { eventLoopLagMs: { warn: 1, fail: 100_000 } } },
  });
  daemon = await startDaemon(home);
  await waitFor(async () => {
    const answer = await httpJson(`http://127.0.0.1:${daemon.port}/health`, { timeoutMs: 5000 });
    return isHealthBody(answer.body) && answer.body.checks['process:eventLoopLag'] !== undefined;
  }, 'the first health run');
  const user = join(home.path, 'user');
  const project = join(home.path, 'project');
  mkdirSync(user);
  mkdirSync(project);
  box = {
    dir: home.path,
    home: user,
    state: home.path,
    project,
    env: { ...home.env, HOME: user },
    cleanup: () => undefined,
  };
});
after(async () => {
  await daemon.stop();
  home.remove();
});

test('the daemon process is said with its start as a time of day, not the OS clock ticks', async () => {
  const run = await doctor(box, { timeoutMs: 5000 });
  const process = check(run, 'process');
  assert.equal(process.status, 'pass', process.message);
  assert.match(
    process.message,
    new RegExp(`^pid ${daemon.pid}, started \\d\\d:\\d\\d:\\d\\d \\(up \\d+s\\), version `),
  );
  assert.equal(typeof process.details.osStartTime, 'string', 'the OS figure stays in the details');
});

test('a daemon that just started is healthy for doctor: start-up lag is not judged', async () => {
  const run = await doctor(box, { timeoutMs: 5000 });
  const health = check(run, 'health');
  assert.equal(health.status, 'pass', health.message);
});
