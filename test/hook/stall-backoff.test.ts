import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isBackingOff,
  parseStallMark,
  STALL_BACKOFF_MS,
  stallMarkFor,
} from '../../source/hook/stall-backoff.js';

const daemon = { pid: 4242, port: 8765 };

test('a mark names the daemon and ends STALL_BACKOFF_MS after the timeout', () => {
  const mark = stallMarkFor(daemon, 1_000);
  assert.deepEqual(mark, { pid: 4242, port: 8765, until: 1_000 + STALL_BACKOFF_MS });
  assert.equal(isBackingOff(mark, daemon, 1_000), true);
  assert.equal(isBackingOff(mark, daemon, mark.until - 1), true);
  assert.equal(isBackingOff(mark, daemon, mark.until), false);
});

test('another daemon (a restart: new pid or port) is posted to at once', () => {
  const mark = stallMarkFor(daemon, 0);
  assert.equal(isBackingOff(mark, { ...daemon, pid: 4243 }, 1), false);
  assert.equal(isBackingOff(mark, { ...daemon, port: 8766 }, 1), false);
  assert.equal(isBackingOff(null, daemon, 1), false);
});

test('a torn or foreign file is no mark', () => {
  assert.deepEqual(parseStallMark(JSON.stringify(stallMarkFor(daemon, 5))), stallMarkFor(daemon, 5));
  for (const text of [
    '',
    '{"pid":4242,"port":8765',
    '[]',
    'null',
    '{"pid":"4242","port":8765,"until":9}',
    '{"pid":1.5,"port":1,"until":9}',
  ])
    assert.equal(parseStallMark(text), null, text);
});
