import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { runPlainStream } from '../../source/tui/plain.js';
import { runTui } from '../../source/tui/run.js';
import { FakeDaemon, hello, TOKEN } from '../client/fake-daemon.js';
import { waitFor } from '../helpers/wait.js';
import { storedEvent } from '../helpers/events.js';

/** Just enough of a terminal for Ink: a raw-mode stdin we can type into and a sized stdout. */
class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

class FakeStdout extends EventEmitter {
  columns = 80;
  rows = 24;
  output = '';
  write = (chunk: string) => {
    this.output += chunk;
    return true;
  };
}

describe('runTui and runPlainStream against a stand-in daemon', () => {
  const daemons: FakeDaemon[] = [];
  after(async () => {
    for (const daemon of daemons) await daemon.close();
  });

  async function startDaemon(): Promise<FakeDaemon> {
    const daemon = new FakeDaemon();
    daemon.onViewer = (socket) => {
      socket.emit('hello', hello(2, { fromSeq: 0, count: 2 }));
      socket.emit('events', [storedEvent(1), storedEvent(2)]);
    };
    await daemon.listen();
    daemons.push(daemon);
    return daemon;
  }

  test('runTui shows the replayed events, asks for the last bufferSize events, and q returns 0', async () => {
    const daemon = await startDaemon();
    const stdin = new FakeStdin();
    const stdout = new FakeStdout();
    const exit = runTui({
      host: '127.0.0.1',
      port: daemon.port,
      token: TOKEN,
      ascii: false,
      color: false,
      bufferSize: 300,
      statusIntervalMs: 0,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
    });
    let quitSent = false;
    try {
      await waitFor(() => stdout.output.includes('echo 2'), 'the replayed events on screen');
      assert.match(stdout.output, new RegExp(`connected {2}127\\.0\\.0\\.1:${daemon.port}`));
      assert.deepEqual(daemon.handshakes[0], { token: TOKEN, last: 300 });
      stdout.columns = 60;
      stdout.emit('resize');
      await waitFor(() => stdout.output.includes('1 Evts'), 'the narrow layout after a resize');
      stdin.write('q');
      quitSent = true;
      assert.equal(await exit, 0);
    } finally {
      // A failed step must not leave the Ink instance running (the file would hang until its timeout).
      if (!quitSent) {
        stdin.write('q');
        await exit;
      }
    }
  });

  test('runPlainStream writes NDJSON to stdout and notices to stderr, and ends with 0 when aborted', async () => {
    const daemon = await startDaemon();
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    let notices = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    err.on('data', (chunk: Buffer) => (notices += chunk.toString()));
    const abort = new AbortController();
    const exit = runPlainStream({
      host: '127.0.0.1',
      port: daemon.port,
      token: TOKEN,
      json: true,
      out,
      err,
      signal: abort.signal,
    });
    await waitFor(() => text.split('\n').filter(Boolean).length === 2, 'two NDJSON lines');
    assert.deepEqual(
      text
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { seq: number }).seq),
      [1, 2],
    );
    assert.match(notices, /mpm-mon: connected/);
    abort.abort();
    assert.equal(await exit, 0);
  });

  test('runPlainStream without --json writes readable lines', async () => {
    const daemon = await startDaemon();
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const abort = new AbortController();
    const exit = runPlainStream({
      host: '127.0.0.1',
      port: daemon.port,
      token: TOKEN,
      json: false,
      out,
      err: new PassThrough(),
      signal: abort.signal,
    });
    await waitFor(() => text.includes('#2'), 'two lines');
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} {2}#1 {2}PreToolUse {2}session- {2}Bash {2}echo 1$/m);
    abort.abort();
    assert.equal(await exit, 0);
  });
});
