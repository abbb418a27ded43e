// Never dropped for size: with the default limits (events.maxBytes 256 KiB, events.maxRequestBytes
// 8 MiB) a 1.4 MB Write reaches the journal cut to fit, with `truncated`, through the real hook, POST
// /events and Socket.IO /ingest; 9 MB is refused with 413 / an error ack and the producer stays connected.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MonEvent } from '../../source/protocol/event.js';
import {
  connectProducer,
  connectViewer,
  hookPayload,
  makeHome,
  postEvents,
  runCli,
  startDaemon,
  waitFor,
  type DaemonProcess,
  type Home,
  type Viewer,
} from './harness.js';

const MAX_BYTES = 262_144;
const CONTENT = 'const line = "a line of a big source file";\n'.repeat(32_000); // ≈ 1.4 MB

function bigWrite(n: number): Record<string, unknown> {
  return hookPayload(n, 'sess-big', {
    tool_name: 'Write',
    tool_input: { file_path: `/work/project/big-${n}.ts`, content: CONTENT },
  });
}

function journalEvents(home: Home): MonEvent[] {
  const dir = join(home.path, 'journal');
  return readdirSync(dir)
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as MonEvent);
}

function assertCut(event: MonEvent | undefined, n: number): void {
  assert.ok(event, `event ${n} stored`);
  assert.ok(Buffer.byteLength(JSON.stringify(event)) <= MAX_BYTES, 'the stored line fits events.maxBytes');
  assert.deepEqual(event.truncated, [
    { path: '$.tool_input.content', originalBytes: Buffer.byteLength(CONTENT) },
  ]);
  const input = event.data.tool_input as { file_path: string; content: string };
  assert.equal(input.file_path, `/work/project/big-${n}.ts`, 'small fields are kept whole');
  assert.ok(input.content.length > 100_000, 'as much as fits is kept');
  assert.equal(event.tool, 'Write');
}

describe('events bigger than events.maxBytes', () => {
  let home: Home;
  let daemon: DaemonProcess;
  let viewer: Viewer;
  before(async () => {
    home = makeHome();
    daemon = await startDaemon(home);
    viewer = await connectViewer(daemon.port, { token: daemon.token });
  });
  after(async () => {
    viewer.close();
    await daemon.stop();
    home.remove();
  });

  const stored = (n: number): MonEvent | undefined =>
    viewer.events.find((event) => (event.data.tool_use_id as string) === `toolu_${n}`);

  test('a 1.4 MB Write through the real hook is posted cut and stored with `truncated`', async () => {
    const payload = JSON.stringify(bigWrite(1));
    assert.ok(payload.length > 1_400_000);
    const result = runCli(home, ['hook'], payload);
    assert.equal(result.code, 0);
    await waitFor(() => stored(1), 'the hook event at the viewer', 10_000);
    assertCut(stored(1), 1);
    assert.equal(stored(1)!.source, 'hook');
    assert.ok(
      !readdirSync(join(home.path)).includes('spool') || readdirSync(join(home.path, 'spool')).length === 0,
    );
  });

  test('1.4 MB through POST /events is stored cut; 9 MB is 413', async () => {
    const answer = await postEvents(daemon.port, daemon.token, JSON.stringify(bigWrite(2)));
    assert.equal(answer.status, 202, answer.text);
    await waitFor(() => stored(2), 'the POSTed event at the viewer', 10_000);
    assertCut(stored(2), 2);
    const huge = await postEvents(
      daemon.port,
      daemon.token,
      JSON.stringify(hookPayload(3, 'sess-big', { blob: 'z'.repeat(9_000_000) })),
    );
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'too_large');
    assert.match(huge.body.error.message, /events\.maxRequestBytes/);
  });

  test('1.4 MB through Socket.IO /ingest is stored cut; 9 MB gets an error ack and the socket stays', async () => {
    const socket = await connectProducer(daemon.port, daemon.token);
    try {
      const ack = await socket.timeout(10_000).emitWithAck('event', bigWrite(4));
      assert.equal(ack.ok, true, JSON.stringify(ack));
      await waitFor(() => stored(4), 'the socket event at the viewer', 10_000);
      assertCut(stored(4), 4);
      const huge = await socket
        .timeout(10_000)
        .emitWithAck('event', hookPayload(5, 'sess-big', { blob: 'z'.repeat(9_000_000) }));
      assert.equal(huge.ok, false);
      assert.equal(huge.error.code, 'too_large');
      assert.ok(socket.connected, 'still connected after a 9 MB message');
      const after = await socket.timeout(5000).emitWithAck('event', hookPayload(6, 'sess-big'));
      assert.equal(after.ok, true, 'and it still works');
    } finally {
      socket.disconnect();
    }
  });

  test('the journal holds the cut events, each line within events.maxBytes', () => {
    const events = journalEvents(home).filter((event) => event.truncated);
    assert.equal(events.length, 3);
    for (const event of events) assert.ok(Buffer.byteLength(JSON.stringify(event)) <= MAX_BYTES);
  });
});
