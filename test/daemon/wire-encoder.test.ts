/**
 * The daemon's packet encoder splices EncodedJson into what it sends: the text must be exactly what
 * socket.io's own encoder writes for the same values (checked against a second, untouched Server's
 * encoder), packets without EncodedJson must go through socket.io's encoder unchanged, and a real
 * socket.io-client must read a spliced history ack as the events themselves.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import type { DaemonServer } from '../../source/daemon/socket-types.js';
import {
  EncodedJson,
  encodeWithJson,
  jsonArray,
  useEncodedJson,
  type WirePacket,
} from '../../source/daemon/wire-encoder.js';

const events = [
  { seq: 1, id: 'a', type: 'PreToolUse', data: { command: 'ls', nested: [1, 'two', null] } },
  { seq: 2, id: 'b', type: 'Stop', data: { text: 'quote " backslash \\ line\nend \u2028 é' } },
];
/** The events as a journal could hold them: spacing that JSON.stringify would not write. */
const lines = [
  '{ "seq": 1, "id": "a", "type": "PreToolUse", "data": {"command":"ls","nested":[1,"two",null]} }',
  JSON.stringify(events[1]),
];

const reference = new Server().encoder;

/** What socket.io's own encoder writes for the packet with every EncodedJson replaced by its value. */
function expected(packet: WirePacket): unknown[] {
  const revive = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;
  return reference.encode({ ...packet, data: revive(packet.data) });
}

test('a history ack with EncodedJson events is the text socket.io writes for the events themselves', () => {
  const packet: WirePacket = {
    type: 3,
    nsp: '/dashboard',
    id: 17,
    data: [{ ok: true, events: jsonArray(lines) }],
  };
  const text = encodeWithJson(packet);
  assert.ok(text !== null);
  // The lines go out as they are; parsed, they are the events.
  assert.ok(text.includes(lines[0]!));
  assert.deepEqual(JSON.parse(text.slice('3/dashboard,17'.length)), [{ ok: true, events }]);
  assert.deepEqual(
    JSON.parse(text.slice('3/dashboard,17'.length)),
    JSON.parse((expected(packet)[0] as string).slice('3/dashboard,17'.length)),
  );
});

test('byte for byte as socket.io writes it when the JSON texts are what JSON.stringify writes', () => {
  const texts = events.map((event) => JSON.stringify(event));
  const packets: WirePacket[] = [
    { type: 3, nsp: '/dashboard', id: 0, data: [{ ok: true, events: jsonArray(texts), skipped: undefined }] },
    { type: 2, nsp: '/dashboard', data: ['events', jsonArray(texts)] },
    { type: 2, nsp: '/', data: ['events', jsonArray(texts), undefined, 7, 'x'] },
    { type: 3, nsp: '/dashboard', id: 4, data: [{ events: new EncodedJson('[]'), ok: true, n: null }] },
  ];
  for (const packet of packets) assert.deepEqual([encodeWithJson(packet)], expected(packet));
});

test('packets without EncodedJson are left to socket.io', () => {
  assert.equal(encodeWithJson({ type: 2, nsp: '/dashboard', data: ['events', events] }), null);
  assert.equal(encodeWithJson({ type: 0, nsp: '/dashboard', data: { sid: 'x' } }), null);
  assert.equal(encodeWithJson({ type: 3, nsp: '/dashboard', id: 1, data: [{ ok: true, events }] }), null);
});

test('binary beside EncodedJson goes to socket.io as values, not as the wrapper', () => {
  const io = new Server() as DaemonServer;
  useEncodedJson(io);
  const blob = Buffer.from([1, 2, 3]);
  const packet = { type: 2, nsp: '/dashboard', data: ['events', jsonArray(lines), blob] };
  assert.equal(encodeWithJson(packet), null);
  const sent = io.encoder.encode(packet);
  assert.deepEqual(sent, reference.encode({ ...packet, data: ['events', events, blob] }));
});

test('a real client reads a spliced history ack as the events', async () => {
  const http = createServer();
  const io = new Server(http) as DaemonServer;
  useEncodedJson(io);
  io.of('/dashboard').on('connection', (socket) => {
    socket.on('history', (_request: unknown, ack: unknown) => {
      if (typeof ack === 'function') ack({ ok: true, events: jsonArray(lines) });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const client = connect(`http://127.0.0.1:${port}/dashboard`, { transports: ['websocket'], forceNew: true });
  try {
    const answer: unknown = await client.timeout(5000).emitWithAck('history', { limit: 2 });
    assert.deepEqual(answer, { ok: true, events });
  } finally {
    client.disconnect();
    await new Promise((resolve) => io.close(resolve));
  }
});
