/**
 * What the daemon stored for a Claude Code session against what Claude Code fired (scenarios FIRES).
 * The one place the end-to-end suite says what "stored right" means: extend it here (agentId,
 * occurredAt order, truncation…) as the event grows.
 */
import assert from 'node:assert/strict';
import type { MonEvent } from '../../source/protocol/event.js';

/** `Type`, `Type:Tool`, with `@agent` when a subagent emitted it: the notation of FIRES. */
export function describeStored(event: MonEvent): string {
  const agent = typeof event.data.agent_id === 'string' && event.data.agent_id !== '' ? '@agent' : '';
  return `${event.type}${event.tool ? `:${event.tool}` : ''}${agent}`;
}

/** Events whose order against each other Claude Code does not fix (StopFailure's hook races SessionEnd). */
const RACING = new Set(['StopFailure', 'SessionEnd']);

function withRacesSorted(names: readonly string[]): string[] {
  const fixed = names.filter((name) => !RACING.has(name));
  const racing = names.filter((name) => RACING.has(name)).sort();
  return [...fixed, ...racing];
}

export interface StoredExpectation {
  sessionId: string;
  cwd: string;
}

/**
 * The order they happened in: `occurredAt`, then `seq`. Seq is the order they were stored in, which
 * differs when Claude Code gives up waiting on a big event's hook and fires the next one meanwhile.
 */
export function inOccurrenceOrder(stored: readonly MonEvent[]): MonEvent[] {
  return [...stored].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.seq - b.seq);
}

/** Every fired event stored once, in order, with the right type, tool, session, cwd and agent. */
export function assertStoredAsFired(
  stored: readonly MonEvent[],
  fired: readonly string[],
  expectation: StoredExpectation,
): void {
  const names = inOccurrenceOrder(stored).map(describeStored);
  assert.deepEqual(
    withRacesSorted(names),
    withRacesSorted(fired),
    'stored events, in the order they occurred',
  );
  assert.equal(new Set(stored.map((event) => event.id)).size, stored.length, 'each stored once');
  const seqs = stored.map((event) => event.seq);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
    'in seq order',
  );
  for (const event of stored) {
    assert.equal(event.sessionId, expectation.sessionId, `${event.type}: session`);
    assert.equal(event.cwd, expectation.cwd, `${event.type}: cwd`);
    assert.equal(event.agentId, event.data.agent_id, `${event.type}: agentId is the payload's agent_id`);
    assert.ok(!Number.isNaN(Date.parse(event.occurredAt)), `${event.type}: occurredAt`);
  }
  const agents = new Set(stored.map((event) => event.data.agent_id).filter((id) => typeof id === 'string'));
  assert.ok(agents.size <= 1, `one subagent at most, saw ${[...agents].join(', ')}`);
}
