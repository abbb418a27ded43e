import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTuiStore } from '../../source/tui/store.js';
import { waitFor } from '../helpers/wait.js';
import { makeEvent } from '../helpers/events.js';

test('a flood of events reaches the state in a few batches, not one change per event', async () => {
  const store = createTuiStore({ bufferSize: 5000, batchMs: 50, tickMs: 0 });
  try {
    for (let seq = 1; seq <= 1000; seq += 1) store.pushEvents([makeEvent('Stop', { seq })]);
    assert.equal(store.getSnapshot().buffer.events.length, 0, 'nothing is applied synchronously');
    await waitFor(() => store.getSnapshot().buffer.lastSeq === 1000, 'the batch to land');
    assert.equal(store.notifications, 1);
    assert.equal(store.getSnapshot().buffer.events.length, 1000);
  } finally {
    store.dispose();
  }
});

test('the queue is bounded by the buffer size and counts what it dropped; UI actions apply at once', async () => {
  const store = createTuiStore({ bufferSize: 10, batchMs: 20, tickMs: 0 });
  try {
    store.pushEvents(Array.from({ length: 25 }, (_, index) => makeEvent('Stop', { seq: index + 1 })));
    store.dispatch({ type: 'view', view: 'health' });
    assert.equal(store.getSnapshot().ui.view, 'health');
    await waitFor(() => store.getSnapshot().buffer.lastSeq === 25, 'the batch to land');
    const { buffer } = store.getSnapshot();
    assert.deepEqual([buffer.events.length, buffer.dropped, buffer.events[0]!.seq], [10, 15, 16]);
  } finally {
    store.dispose();
  }
});

test('subscribers hear of changes and can leave', () => {
  const store = createTuiStore({ bufferSize: 10, tickMs: 0 });
  let heard = 0;
  const leave = store.subscribe(() => (heard += 1));
  store.dispatch({ type: 'toggleHelp' });
  leave();
  store.dispatch({ type: 'toggleHelp' });
  assert.equal(heard, 1);
  store.dispose();
});

test('after a flood the next batch waits floodBatchMs; after a trickle, batchMs again', async () => {
  const store = createTuiStore({ bufferSize: 5000, batchMs: 10, floodBatchMs: 300, tickMs: 0 });
  try {
    store.pushEvents(Array.from({ length: 60 }, (_, index) => makeEvent('Stop', { seq: index + 1 })));
    await waitFor(() => store.getSnapshot().buffer.lastSeq === 60, 'the flood to land');
    const flooded = Date.now();
    store.pushEvents([makeEvent('Stop', { seq: 61 })]);
    await waitFor(() => store.getSnapshot().buffer.lastSeq === 61, 'the next batch');
    // A timer never fires early: this bound holds on any machine.
    assert.ok(Date.now() - flooded >= 290, `the batch after a flood came ${Date.now() - flooded} ms later`);
    assert.equal(store.notifications, 2);
  } finally {
    store.dispose();
  }
});
