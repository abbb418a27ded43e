import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { headerLines } from '../../source/tui/components/chrome.js';
import type { HelloMessage } from '../../source/protocol/messages.js';
import { createTuiState, reduce } from '../../source/tui/state/tui-state.js';
import { makeTheme } from '../../source/tui/theme.js';

function hello(cluster: HelloMessage['cluster']): HelloMessage {
  return {
    version: '0.0.0',
    pid: 1,
    host: '127.0.0.1',
    port: 8765,
    startedAt: new Date(0).toISOString(),
    uptimeSeconds: 1,
    lastSeq: 0,
    replay: null,
    health: null,
    cluster,
  };
}

function header(message: HelloMessage): string {
  const state = reduce(createTuiState({ bufferSize: 10 }, 0), { type: 'hello', hello: message });
  const lines = headerLines(state, makeTheme({ color: false, ascii: true }), 120, '127.0.0.1:9765');
  return lines.map((line) => line.map((segment) => segment.text).join('')).join('\n');
}

test('the header names the daemon of a cluster it is attached to, and how many others share the store', () => {
  const peer = {
    nodeId: 'b',
    pid: 2,
    host: '127.0.0.1',
    port: 8766,
    version: '0',
    startedAt: '',
    seenAt: '',
  };
  assert.match(header(hello({ nodeId: 'node-a', store: 'redis', peers: [peer] })), /node node-a \+1/);
  assert.doesNotMatch(header(hello({ nodeId: 'host:8765', store: 'journal', peers: [] })), /node /);
});
