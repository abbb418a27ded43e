import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import type { SessionsAnswer } from '../../source/protocol/messages.js';
import type { Session } from '../../source/protocol/session.js';
import { App } from '../../source/tui/app.js';
import { headerLines } from '../../source/tui/components/chrome.js';
import { lineText } from '../../source/tui/lines.js';
import { newWaits, noticeSequence, noticeText } from '../../source/tui/state/notify.js';
import { listedSessions } from '../../source/tui/state/session-list.js';
import { createTuiState, reduce, type TuiState } from '../../source/tui/state/tui-state.js';
import { createTuiStore, type TuiStore } from '../../source/tui/store.js';
import { watchWaits } from '../../source/tui/run.js';
import { makeTheme } from '../../source/tui/theme.js';
import { sessionDetailLines } from '../../source/tui/views/session-detail.js';
import { sessionColumns, sessionsLines } from '../../source/tui/views/sessions.js';
import { toolStatsLines } from '../../source/tui/views/tool-stats.js';
import { eventBuilder } from '../helpers/events.js';
import { waitFor } from '../helpers/wait.js';

const theme = makeTheme({ color: false, ascii: false });
const START = Date.parse('2026-01-05T10:00:00.000Z');
const MODEL = 'claude-sonnet-4-5-20250929';

/** Two sessions: `busy` ran tools (one failed) in a subagent tree; `asking` waits for a permission. */
function scenario() {
  const b = eventBuilder({}, START);
  return [
    b.event('SessionStart', { session_id: 'busy-0001', model: MODEL }),
    b.event('UserPromptSubmit', { session_id: 'busy-0001', prompt: 'go' }),
    b.event('PreToolUse', { session_id: 'busy-0001', tool_name: 'Bash', tool_use_id: 't1' }),
    b.event('PostToolUseFailure', {
      session_id: 'busy-0001',
      tool_name: 'Bash',
      tool_use_id: 't1',
      error: 'Exit code 2',
      duration_ms: 40,
    }),
    b.event('PreToolUse', { session_id: 'busy-0001', tool_name: 'Agent', tool_use_id: 'a1' }),
    b.event('SubagentStart', {
      session_id: 'busy-0001',
      agent_id: 'agent-one',
      agent_type: 'general-purpose',
    }),
    b.event('PreToolUse', {
      session_id: 'busy-0001',
      tool_name: 'Read',
      tool_use_id: 'r1',
      agent_id: 'agent-one',
    }),
    b.event('PostToolUse', {
      session_id: 'busy-0001',
      tool_name: 'Read',
      tool_use_id: 'r1',
      agent_id: 'agent-one',
      duration_ms: 3,
    }),
    b.event('SubagentStop', { session_id: 'busy-0001', agent_id: 'agent-one' }),
    b.event('PostToolUse', {
      session_id: 'busy-0001',
      tool_name: 'Agent',
      tool_use_id: 'a1',
      duration_ms: 900,
    }),
    b.event('SessionStart', { session_id: 'asking-01' }),
    b.event('PermissionRequest', { session_id: 'asking-01', tool_name: 'Bash' }),
  ];
}

function figures(sessionId: string, over: Partial<Session> = {}): Session {
  return {
    sessionId,
    state: 'active',
    cwd: '/home/dev/shop',
    model: MODEL,
    startedAt: new Date(START).toISOString(),
    lastEventAt: new Date(START).toISOString(),
    events: 1,
    prompts: 0,
    toolCalls: 0,
    toolFailures: 0,
    toolsRunning: 0,
    subagents: [],
    waitingSince: null,
    waitingFor: null,
    tokens: { input: 1200, output: 3400, cacheRead: 10_000, cacheWrite: 500 },
    costUsd: 0.4231,
    contextPercent: 12.5,
    lastError: null,
    endedAt: null,
    tools: [],
    transcript: { status: 'ok', reason: null },
    ...over,
  };
}

function answer(...sessions: Session[]): SessionsAnswer {
  return { generatedAt: new Date(START).toISOString(), pricesAsOf: '2025-11-24', sessions, tools: [] };
}

function stateWith(): TuiState {
  let state = createTuiState({ bufferSize: 100 }, START + 60_000);
  state = reduce(state, { type: 'events', events: scenario(), now: START + 60_000 });
  state = reduce(state, {
    type: 'sessions',
    answer: answer(figures('busy-0001'), figures('old-session', { state: 'ended' })),
  });
  return reduce(state, { type: 'view', view: 'sessions' });
}

const texts = (lines: ReturnType<typeof sessionsLines>) => lines.map(lineText);

describe('Sessions view (pure)', () => {
  test('columns fold away on narrow panes: all at 120, no model at 80, the essentials at 60', () => {
    const names = (width: number) => sessionColumns(width).columns.map((column) => column.name);
    assert.deepEqual(names(120), [
      'session',
      'state',
      'model',
      'tokens',
      'cost',
      'context',
      'tools',
      'agents',
      'active',
    ]);
    assert.deepEqual(names(80), [
      'session',
      'state',
      'tokens',
      'cost',
      'context',
      'tools',
      'agents',
      'active',
    ]);
    assert.deepEqual(names(60), ['session', 'state', 'active']);
    for (const width of [120, 80, 60]) {
      const { columns, cwdWidth } = sessionColumns(width);
      const used = 1 + columns.reduce((sum, column) => sum + column.width + 1, 0) + cwdWidth;
      assert.ok(used <= width, `${width}: ${used}`);
    }
  });

  test("waiting first; the daemon's figures (model, tokens, cost, context) on the live model", () => {
    const lines = texts(sessionsLines(stateWith(), theme, 120, 20));
    assert.match(lines[0]!, /session +state +model +tokens +cost +ctx +tools +ag +active +cwd/);
    assert.match(lines[1]!, /^›asking-0 WAIT 49s/);
    assert.match(lines[2]!, /^ busy-000 active +sonnet-4-5 +15k +\$0\.42 +13% +3\/1 +1 /);
    assert.match(lines[3]!, /^ old-sess ended/, 'a session only the daemon still knows');
    assert.match(lines.at(-1)!, /3 session\(s\) · 1 waiting for you · Enter details · t tool statistics/);
    const narrow = texts(sessionsLines(stateWith(), theme, 80, 20));
    assert.match(narrow[2]!, /^ busy-000 active +15k +\$0\.42 +13% +3\/1 /);
    for (const line of narrow) assert.ok(Array.from(line).length <= 80, line);
  });

  test('the header counts the sessions that wait', () => {
    const [first] = headerLines(stateWith(), theme, 120, '127.0.0.1:8765');
    assert.match(lineText(first!), /⚠ 1 waiting/);
    const none = headerLines(createTuiState({ bufferSize: 10 }, START), theme, 120, 'x');
    assert.doesNotMatch(lineText(none[0]!), /waiting/);
  });

  test("a session's detail: figures, the tool table, the subagent tree, the latest calls with errors", () => {
    const lines = sessionDetailLines(stateWith(), 'busy-0001', theme, 100).map(lineText);
    const text = lines.join('\n');
    assert.match(text, /busy-0001 active/);
    assert.match(text, /tokens in 1\.2k out 3\.4k cache read 10k write 500/);
    assert.match(text, /cost \$0\.42 · context 13%/);
    assert.match(text, /tool calls 3 \(1 failed, 0 running\)/);
    assert.match(text, /TOOL +CALLS +FAILED +P50 +P95/);
    assert.match(text, /Bash +1 +1 +40ms +40ms/);
    assert.match(text, /› agent-one general-purpose · done · 1 tool call/);
    assert.match(text, /Bash ✗ failed 40ms · Exit code 2/);
    assert.match(
      sessionDetailLines(stateWith(), 'gone', theme, 100).map(lineText).join(''),
      /no longer known/,
    );
  });

  test('tool statistics across sessions', () => {
    const text = toolStatsLines(stateWith(), theme, 100, 20).map(lineText).join('\n');
    assert.match(text, /TOOL +CALLS +FAILED +P50 +P95/);
    assert.match(text, /Agent +1 +0 +900ms/);
    assert.match(text, /Read +1 +0 +3ms +3ms/);
  });
});

describe('--notify (pure)', () => {
  test('one notice per wait, none for waits older than the TUI, again for a new wait', () => {
    const sessions = listedSessions(stateWith());
    const waiting = sessions.find((session) => session.state === 'waiting')!;
    const first = newWaits(sessions, new Set(), START);
    assert.deepEqual(
      first.fresh.map((session) => session.sessionId),
      ['asking-01'],
    );
    assert.equal(newWaits(sessions, first.told, START).fresh.length, 0, 'told once');
    assert.equal(newWaits(sessions, new Set(), START + 3_600_000).fresh.length, 0, 'an old wait is not news');
    const again = { ...waiting, waitingSince: new Date(START + 99_000).toISOString() };
    assert.equal(newWaits([again], first.told, START).fresh.length, 1, 'a new wait of the same session');
    assert.equal(noticeSequence('bell', 'x'), '\u0007');
    assert.equal(noticeSequence('osc9', 'a;b\u001bc'), '\u001b]9;a b c\u0007');
    assert.equal(noticeSequence('osc777', 'hi'), '\u001b]777;notify;mpm-mon;hi\u0007');
    assert.equal(noticeSequence('off', 'hi'), '');
    assert.match(
      noticeText(waiting),
      /^Claude Code asking-0 in \/home\/dev\/shop waits for you \(permission\)$/,
    );
  });

  test('the TUI store rings once when a session starts waiting', () => {
    const store = createTuiStore({ bufferSize: 100, tickMs: 0, batchMs: 0 });
    const written: string[] = [];
    const stop = watchWaits(store, 'osc9', { write: (text: string) => written.push(text) }, START);
    store.dispatch({ type: 'events', events: scenario(), now: START });
    store.dispatch({ type: 'tick', now: START + 1000 });
    const b = eventBuilder({}, START + 5000);
    store.dispatch({
      type: 'events',
      events: [{ ...b.event('Notification', { session_id: 'asking-01' }), seq: 100 }],
      now: START,
    });
    assert.equal(written.length, 1);
    // eslint-disable-next-line no-control-regex
    assert.match(written[0]!, /^\u001b\]9;Claude Code asking-0 .*waits for you \(permission\)\u0007$/);
    stop();
    store.dispose();
  });
});

describe('Sessions view in the Ink app', () => {
  let store: TuiStore | null = null;
  afterEach(() => {
    cleanup();
    store?.dispose();
  });

  for (const columns of [120, 80]) {
    test(`at ${columns} columns: list, Enter for the detail, Esc, t for tool statistics`, async () => {
      store = createTuiStore({ bufferSize: 100, tickMs: 0, now: () => START + 60_000 });
      store.dispatch({ type: 'connection', state: { kind: 'connected', since: 0 } });
      store.dispatch({ type: 'events', events: scenario(), now: START + 60_000 });
      store.dispatch({ type: 'sessions', answer: answer(figures('busy-0001')) });
      const app = render(
        <App store={store} theme={theme} columns={columns} rows={24} address="127.0.0.1:8765" />,
      );
      const frame = () => app.lastFrame() ?? '';
      // `repeat`: write the key until it takes (only for keys where a second press changes nothing).
      const press = async (key: string, expect: RegExp, what: string, repeat = false) => {
        app.stdin.write(key);
        await waitFor(
          () => {
            if (repeat && !expect.test(frame())) app.stdin.write(key);
            return expect.test(frame());
          },
          what,
          3000,
        ).catch((error: unknown) => {
          throw new Error(`${String(error)}\n${frame()}`);
        });
      };
      await waitFor(() => /⚠ 1 waiting/.test(frame()), 'the header to count the waiting session');
      // Until Ink's input hook is attached a key is lost: '2' can be written again safely.
      await press('2', /›asking-0 WAIT/, 'the Sessions view with the waiting session on top', true);
      assert.match(frame(), /busy-000 active +(sonnet-4-5 +)?15k +\$0\.42/);
      for (const line of frame().split('\n')) assert.ok(Array.from(line).length <= columns, line);
      await press('j', /›busy-000/, 'the selection to move');
      await press('\r', /TOOL +CALLS +FAILED/, "the session's detail");
      assert.match(frame(), /agent-one general-purpose/);
      await press('\u001b', /›busy-000/, 'Esc to close the detail');
      await press('t', /Tool statistics across sessions/, 'the tool statistics');
      await press('t', /›busy-000/, 't again: the list');
    });
  }
});
