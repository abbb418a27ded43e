import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyEvents,
  compareSessions,
  createSessionsState,
  percentile,
  sortedRecords,
  subagentTree,
  toolCallOf,
  toolStatsAcross,
  toSession,
  waitingCount,
  type SessionsState,
} from '../../source/sessions/index.js';
import { eventBuilder, fixture } from '../helpers/events.js';

const REAL = '5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f';

function only(state: SessionsState, id = 'session-1') {
  const record = state.byId.get(id);
  assert.ok(record, `session ${id} is known`);
  return record;
}

describe('session model: the real payloads', () => {
  test('a session from the captured hook payloads', () => {
    const b = eventBuilder();
    const names = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification'];
    let state = applyEvents(
      createSessionsState(),
      names.map((name) => b.fromPayload(fixture(name))),
    );
    let session = toSession(only(state, REAL));
    assert.equal(session.state, 'waiting', 'the permission Notification makes it wait');
    assert.equal(session.waitingFor, 'permission');
    assert.equal(session.waitingSince, '2026-01-05T10:00:04.000Z');
    assert.equal(session.model, 'claude-sonnet-4-5-20250929', "SessionStart's model until a transcript says");
    assert.equal(session.cwd, '/home/dev/shop');
    assert.equal(session.prompts, 1);
    // The captured Pre (Bash) and Post (Edit) are different calls: Bash still runs, Edit succeeded.
    assert.equal(session.toolCalls, 2);
    assert.equal(session.toolsRunning, 1);
    assert.deepEqual(
      session.tools.map((tool) => [tool.tool, tool.calls, tool.failures]),
      [
        ['Bash', 1, 0],
        ['Edit', 1, 0],
      ],
    );

    state = applyEvents(state, [b.fromPayload(fixture('Stop'))]);
    session = toSession(only(state, REAL));
    assert.equal(session.state, 'active', 'Stop shows it moved on');
    assert.equal(session.waitingSince, null);

    state = applyEvents(state, [
      b.fromPayload(fixture('SubagentStop')),
      b.fromPayload(fixture('SessionEnd')),
    ]);
    session = toSession(only(state, REAL));
    assert.equal(session.state, 'ended');
    assert.equal(session.subagents.length, 1);
    assert.equal(session.subagents[0]!.agentId, 'a7c4e2f1');
    assert.equal(session.subagents[0]!.state, 'done');
    assert.match(session.subagents[0]!.transcriptPath ?? '', /agent-a7c4e2f1\.jsonl$/);
    assert.equal(session.events, 8);
    assert.equal(session.startedAt, '2026-01-05T10:00:00.000Z');
    assert.equal(session.lastEventAt, '2026-01-05T10:00:07.000Z');
  });
});

describe('session model: tool calls', () => {
  test('PreToolUse pairs with PostToolUse or PostToolUseFailure by tool_use_id', () => {
    const b = eventBuilder();
    const state = applyEvents(createSessionsState(), [
      b.event('PreToolUse', { tool_name: 'Read', tool_use_id: 't1' }),
      b.event('PreToolUse', { tool_name: 'Bash', tool_use_id: 't2' }),
      b.event('PreToolUse', { tool_name: 'Bash', tool_use_id: 't3' }),
      b.event('PostToolUse', { tool_name: 'Read', tool_use_id: 't1', duration_ms: 2 }),
      b.event('PostToolUseFailure', {
        tool_name: 'Bash',
        tool_use_id: 't2',
        error: 'Exit code 1',
        is_interrupt: false,
        duration_ms: 40,
      }),
    ]);
    const session = only(state);
    const read = session.calls.get('t1')!;
    assert.equal(read.status, 'succeeded');
    assert.equal(read.durationMs, 2, "Claude Code's duration_ms, not the gap between the events (3 s)");
    const failed = session.calls.get('t2')!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, 'Exit code 1');
    assert.equal(failed.interrupted, false);
    assert.equal(session.calls.get('t3')!.status, 'running');
    const view = toSession(session);
    assert.equal(view.toolCalls, 3);
    assert.equal(view.toolFailures, 1);
    assert.equal(view.toolsRunning, 1);
    assert.deepEqual(view.tools[0], { tool: 'Bash', calls: 2, failures: 1, p50Ms: 40, p95Ms: 40 });
  });

  test('an interrupted call is failed and says so; without duration_ms the events give the time', () => {
    const b = eventBuilder();
    const state = applyEvents(createSessionsState(), [
      b.event('PreToolUse', { tool_name: 'Bash', tool_use_id: 't1' }, { at: 1000 }),
      b.event(
        'PostToolUseFailure',
        { tool_name: 'Bash', tool_use_id: 't1', error: 'Interrupted by user', is_interrupt: true },
        { at: 3500 },
      ),
    ]);
    const call = only(state).calls.get('t1')!;
    assert.equal(call.status, 'failed');
    assert.equal(call.interrupted, true);
    assert.equal(call.durationMs, 2500);
  });

  test('a repeated end is counted once, and a Post without its Pre is still a call', () => {
    const b = eventBuilder();
    const post = b.event('PostToolUse', { tool_name: 'Edit', tool_use_id: 't9', duration_ms: 5 });
    const state = applyEvents(createSessionsState(), [
      post,
      post,
      b.event('PreToolUse', { tool_name: 'Edit', tool_use_id: 't9' }),
    ]);
    const view = toSession(only(state));
    assert.equal(view.toolCalls, 1);
    assert.equal(view.toolsRunning, 0);
    assert.equal(toolCallOf(state, post)?.status, 'succeeded');
  });

  test('calls per session, sessions and duration samples are bounded', () => {
    const b = eventBuilder();
    const events = [];
    for (let index = 0; index < 300; index += 1) {
      events.push(b.event('PreToolUse', { tool_name: 'Read', tool_use_id: `t${index}` }));
      events.push(
        b.event('PostToolUse', { tool_name: 'Read', tool_use_id: `t${index}`, duration_ms: index }),
      );
    }
    for (let index = 0; index < 5; index += 1) events.push(b.event('Stop', { session_id: `other-${index}` }));
    const state = applyEvents(createSessionsState({ sessions: 3, callsPerSession: 50 }), events);
    assert.deepEqual([...state.byId.keys()], ['other-2', 'other-3', 'other-4']);
    const kept = applyEvents(createSessionsState({ sessions: 3, callsPerSession: 50 }), events.slice(0, 600));
    const session = only(kept);
    assert.equal(session.calls.size, 50);
    assert.equal(session.toolCalls, 300, 'the counts stay exact');
    assert.equal(session.tools.get('Read')!.durations.length, 200);
    assert.equal(toSession(session).tools[0]!.p50Ms, 199, 'over the latest 200 durations (100..299)');
  });

  test('a batch never changes the state it was given', () => {
    const b = eventBuilder();
    const first = applyEvents(createSessionsState(), [
      b.event('PreToolUse', { tool_name: 'Bash', tool_use_id: 't1' }),
    ]);
    const before = only(first);
    const second = applyEvents(first, [b.event('PostToolUse', { tool_name: 'Bash', tool_use_id: 't1' })]);
    assert.equal(before.calls.get('t1')!.status, 'running');
    assert.equal(only(second).calls.get('t1')!.status, 'succeeded');
    assert.notEqual(only(second), before);
    assert.equal(applyEvents(second, []), second);
  });
});

describe('session model: turns and states', () => {
  test('StopFailure fails the turn with its error, whether SessionEnd comes before or after it', () => {
    for (const order of [
      ['StopFailure', 'SessionEnd'],
      ['SessionEnd', 'StopFailure'],
    ]) {
      const b = eventBuilder();
      const state = applyEvents(createSessionsState(), [
        b.event('SessionStart', { source: 'startup' }),
        b.event('UserPromptSubmit', { prompt: 'go' }),
        ...order.map((type) =>
          b.event(type, type === 'StopFailure' ? { error: 'rate_limit' } : { reason: 'other' }),
        ),
      ]);
      const view = toSession(only(state));
      assert.equal(view.state, 'failed', order.join(' then '));
      assert.equal(view.lastError?.error, 'rate_limit');
      assert.notEqual(view.endedAt, null);
    }
  });

  test('a new prompt after a failed turn is active again; Stop keeps it active', () => {
    const b = eventBuilder();
    let state = applyEvents(createSessionsState(), [
      b.event('UserPromptSubmit'),
      b.event('StopFailure', { error: 'unknown' }),
    ]);
    assert.equal(only(state).state, 'failed');
    state = applyEvents(state, [b.event('UserPromptSubmit'), b.event('Stop')]);
    assert.equal(only(state).state, 'active');
    assert.equal(only(state).prompts, 2);
    assert.equal(only(state).lastError?.error, 'unknown', 'the last failure is still told');
  });

  test('waiting for the user: since the first wait, until an event shows it moved on', () => {
    const b = eventBuilder();
    let state = applyEvents(createSessionsState(), [
      b.event('PreToolUse', { tool_name: 'Bash', tool_use_id: 't1' }),
      b.event('PermissionRequest', { tool_name: 'Bash' }, { at: Date.parse('2026-01-05T11:00:00Z') }),
      b.event('Notification', {
        notification_type: 'permission_prompt',
        message: 'Claude needs your permission to use Bash',
      }),
      b.event('Notification', { notification_type: 'auth_success', message: 'ok' }),
    ]);
    assert.equal(only(state).state, 'waiting');
    assert.equal(only(state).waitingSince, '2026-01-05T11:00:00.000Z');
    assert.equal(waitingCount(state), 1);
    state = applyEvents(state, [b.event('PostToolUse', { tool_name: 'Bash', tool_use_id: 't1' })]);
    assert.equal(only(state).state, 'active');
    assert.equal(only(state).waitingSince, null);

    for (const [type, fields, kind] of [
      ['Elicitation', { mcp_server_name: 'x' }, 'elicitation'],
      [
        'Notification',
        { notification_type: 'idle_prompt', message: 'Claude is waiting for your input' },
        'idle',
      ],
      ['Notification', { message: 'Claude is waiting for your input' }, 'idle'],
    ] as const) {
      const next = applyEvents(createSessionsState(), [b.event('Stop'), b.event(type, fields)]);
      assert.equal(only(next).state, 'waiting', `${type} ${JSON.stringify(fields)}`);
      assert.equal(only(next).waitingFor, kind);
    }
    const ended = applyEvents(createSessionsState(), [
      b.event('SessionEnd'),
      b.event('Notification', { notification_type: 'idle_prompt' }),
    ]);
    assert.equal(only(ended).state, 'ended', 'an ended session waits for no one');
  });

  test('the hook time (occurredAt) orders a session, not the delivery time', () => {
    const b = eventBuilder();
    const late = { ...b.event('SessionStart'), occurredAt: '2026-01-05T09:00:00.000Z' };
    const state = applyEvents(createSessionsState(), [b.event('UserPromptSubmit'), late]);
    assert.equal(only(state).startedAt, '2026-01-05T09:00:00.000Z');
  });
});

describe('session model: subagents', () => {
  test('a tree under the session, tool calls counted for the subagent that made them', () => {
    const b = eventBuilder();
    const state = applyEvents(createSessionsState(), [
      b.event('PreToolUse', { tool_name: 'Agent', tool_use_id: 'a' }),
      b.event('SubagentStart', { agent_id: 'one', agent_type: 'general-purpose' }),
      b.event('PreToolUse', {
        tool_name: 'Read',
        tool_use_id: 'r1',
        agent_id: 'one',
        agent_type: 'general-purpose',
      }),
      b.event('PreToolUse', { tool_name: 'Agent', tool_use_id: 'b', agent_id: 'one' }),
      b.event('SubagentStart', { agent_id: 'two', agent_type: 'Explore' }),
      b.event('SubagentStop', { agent_id: 'two', agent_transcript_path: '/t/agent-two.jsonl' }),
      b.event('PostToolUse', { tool_name: 'Agent', tool_use_id: 'b', agent_id: 'one' }),
      b.event('SubagentStop', { agent_id: 'one' }),
      b.event('PostToolUse', { tool_name: 'Agent', tool_use_id: 'a' }),
      b.event('SubagentStart', { agent_id: 'three', agent_type: 'general-purpose' }),
    ]);
    const tree = subagentTree(only(state)).map((agent) => [
      agent.agentId,
      agent.depth,
      agent.state,
      agent.toolCalls,
    ]);
    assert.deepEqual(tree, [
      ['one', 0, 'done', 2],
      ['two', 1, 'done', 0],
      ['three', 0, 'running', 0],
    ]);
    const view = toSession(only(state));
    assert.equal(view.subagents[1]!.parentId, 'one');
    assert.equal(view.subagents[1]!.agentType, 'Explore');
    assert.equal(view.subagents[1]!.transcriptPath, '/t/agent-two.jsonl');
    assert.equal(only(state).calls.get('r1')!.agentId, 'one');
  });
});

describe('session model: views', () => {
  test('waiting sessions first (longest wait first), then active, failed, ended', () => {
    const b = eventBuilder();
    const state = applyEvents(createSessionsState(), [
      b.event('SessionEnd', { session_id: 'ended' }),
      b.event('UserPromptSubmit', { session_id: 'active-old' }),
      b.event('PermissionRequest', { session_id: 'wait-first' }),
      b.event('StopFailure', { session_id: 'failed' }),
      b.event('UserPromptSubmit', { session_id: 'active-new' }),
      b.event('Elicitation', { session_id: 'wait-second' }),
    ]);
    assert.deepEqual(
      sortedRecords(state).map((session) => session.sessionId),
      ['wait-first', 'wait-second', 'active-new', 'active-old', 'failed', 'ended'],
    );
    assert.ok(compareSessions(toSession(only(state, 'failed')), toSession(only(state, 'ended'))) < 0);
  });

  test('tool statistics across sessions; percentiles by nearest rank', () => {
    assert.equal(percentile([], 50), null);
    assert.equal(percentile([5], 95), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
    assert.equal(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 95), 10);
    const b = eventBuilder();
    const events = [];
    for (const [session, id, ms] of [
      ['s1', 'a', 10],
      ['s1', 'b', 20],
      ['s2', 'c', 30],
    ] as const) {
      events.push(b.event('PreToolUse', { session_id: session, tool_name: 'Bash', tool_use_id: id }));
      events.push(
        b.event('PostToolUse', { session_id: session, tool_name: 'Bash', tool_use_id: id, duration_ms: ms }),
      );
    }
    events.push(
      b.event('PostToolUseFailure', {
        session_id: 's2',
        tool_name: 'Read',
        tool_use_id: 'd',
        error: 'too big',
      }),
    );
    const stats = toolStatsAcross(applyEvents(createSessionsState(), events).byId.values());
    assert.deepEqual(stats, [
      { tool: 'Bash', calls: 3, failures: 0, p50Ms: 20, p95Ms: 30 },
      { tool: 'Read', calls: 1, failures: 1, p50Ms: null, p95Ms: null },
    ]);
  });
});
