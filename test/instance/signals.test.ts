import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../../source/instance/logger-types.js';
import {
  defaultShutdownSignals,
  exitCodeForSignal,
  handleShutdownSignals,
} from '../../source/instance/signals.js';
import { Children, collectStdout, exited } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const posix = process.platform !== 'win32';
const script = join(import.meta.dirname, 'fixtures', 'signals-child.ts');
const children = new Children();
after(() => children.killAll());

function start(mode: 'finishes' | 'hangs') {
  const child = children.spawn(process.execPath, ['--import', 'tsx', script, mode]);
  return { child, stdout: collectStdout(child) };
}

describe('handleShutdownSignals in a real process', { skip: posix ? false : 'POSIX signals' }, () => {
  test('SIGTERM runs the shutdown once and the process ends by itself with 0', async () => {
    const { child, stdout } = start('finishes');
    await waitFor(() => stdout().includes('ready'), 'the child to be ready', 15_000);
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0);
    assert.match(stdout(), /info signal received; shutting down \{"signal":"SIGTERM"\}/);
    assert.match(stdout(), /shutdown SIGTERM 1\nstopped/);
  });

  test('a second signal while the shutdown hangs exits at once with 128 + signal', async () => {
    const { child, stdout } = start('hangs');
    await waitFor(() => stdout().includes('ready'), 'the child to be ready', 15_000);
    child.kill('SIGINT');
    await waitFor(() => stdout().includes('shutdown SIGINT 1'), 'the shutdown to start');
    child.kill('SIGTERM');
    assert.equal(await exited(child), 143);
    assert.match(stdout(), /warn second signal during shutdown; exiting now/);
    assert.doesNotMatch(stdout(), /shutdown \w+ 2/, 'the shutdown ran once');
  });
});

describe('handleShutdownSignals in this process', () => {
  test('dispose removes the handlers it installed', () => {
    const before = process.listenerCount('SIGUSR2');
    const dispose = handleShutdownSignals({
      onShutdown: () => {},
      logger: silentLogger,
      signals: ['SIGUSR2'],
    });
    assert.equal(process.listenerCount('SIGUSR2'), before + 1);
    dispose();
    assert.equal(process.listenerCount('SIGUSR2'), before);
  });

  test('a shutdown that throws is logged and exits with 1', async () => {
    const codes: number[] = [];
    const errors: string[] = [];
    const dispose = handleShutdownSignals({
      onShutdown: () => Promise.reject(new Error('journal flush failed')),
      logger: { ...silentLogger, error: (message) => void errors.push(message) },
      signals: ['SIGUSR2'],
      exit: (code) => void codes.push(code),
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await waitFor(() => codes.length > 0, 'the exit');
      assert.deepEqual(codes, [1]);
      assert.deepEqual(errors, ['shutdown failed']);
    } finally {
      dispose();
    }
  });
});

test('exit codes and default signals', () => {
  assert.equal(exitCodeForSignal('SIGINT'), 130);
  assert.equal(exitCodeForSignal('SIGTERM'), 143);
  assert.deepEqual(defaultShutdownSignals('linux'), ['SIGTERM', 'SIGINT', 'SIGHUP']);
  assert.deepEqual(defaultShutdownSignals('win32'), ['SIGINT', 'SIGBREAK']);
});
