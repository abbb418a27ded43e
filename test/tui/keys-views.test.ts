/** The keys, mouse, header figures, narrow layouts and event order of the TUI, as pure functions. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { keyToAction, type KeyPress } from '../../source/tui/state/keys.js';
import { parseMouse, splitChunk } from '../../source/tui/state/input.js';
import { mouseAction } from '../../source/tui/state/mouse.js';
import {
  createTuiState,
  eventsView,
  reduce,
  searchMatches,
  selectedIndex,
  selectedSessionIndex,
  visibleEvents,
  type TuiAction,
  type TuiState,
} from '../../source/tui/state/tui-state.js';
import { listedSessions } from '../../source/tui/state/session-list.js';
import { headerLines, tabSpans } from '../../source/tui/components/chrome.js';
import { detailLines, helpLines } from '../../source/tui/components/overlays.js';
import { lineText } from '../../source/tui/lines.js';
import { asciiSafe, ASCII_REPLACEMENTS } from '../../source/tui/ascii.js';
import { healthLines } from '../../source/tui/views/health.js';
import { eventsLines } from '../../source/tui/views/events.js';
import { KEYMAP, keysMarkdown } from '../../source/tui/state/keymap.js';
import { makeTheme } from '../../source/tui/theme.js';
import { BOOKKEEPING_EVENTS } from '../../source/claude/hook-events.js';
import type { HealthReport } from '../../source/protocol/health.js';
import type { MonEvent } from '../../source/protocol/event.js';
import { makeEvent, SESSION } from '../helpers/events.js';
import { healthReport } from './helpers.js';

const NOW = Date.parse('2025-06-01T10:00:30.000Z');
const theme = makeTheme({ color: false, ascii: false });

function start(events: MonEvent[], bufferSize = 100): TuiState {
  const state = createTuiState({ bufferSize }, NOW);
  return reduce(state, { type: 'events', events, now: NOW });
}

function run(state: TuiState, ...actions: TuiAction[]): TuiState {
  return actions.reduce(reduce, state);
}

/** Types a chunk the way the app does: split into keystrokes, each read against the state so far. */
function typeChunk(state: TuiState, chunk: string, key: KeyPress = {}): TuiState {
  for (const stroke of splitChunk(chunk, key)) {
    const action = keyToAction(stroke.input, stroke.key, state.ui, 10);
    if (action && action.type !== 'quit' && action.type !== 'copy' && action.type !== 'export')
      state = reduce(state, action);
  }
  return state;
}

function bashEvents(count: number): MonEvent[] {
  return Array.from({ length: count }, (_, index) =>
    makeEvent(
      'PreToolUse',
      { seq: index + 1 },
      {
        tool_input: { command: `echo ${index % 3 === 0 ? 'hit' : 'miss'} ${index}` },
        tool_use_id: `t${index}`,
      },
    ),
  );
}

describe('keys typed fast', () => {
  test('a chunk of text with an Enter is keystrokes; the Enter commits, the next key is a key again', () => {
    assert.deepEqual(splitChunk('ab\r', {}), [
      { input: 'a', key: {} },
      { input: 'b', key: {} },
      { input: '', key: { return: true } },
    ]);
    assert.deepEqual(splitChunk('x', {}), [{ input: 'x', key: {} }]);
    assert.deepEqual(splitChunk('[<0;1;1M', { meta: true }), [{ input: '[<0;1;1M', key: { meta: true } }]);
    let state = typeChunk(start(bashEvents(6)), '/');
    state = typeChunk(state, 'hit\rk');
    assert.equal(state.ui.filterDraft, null, 'the prompt is closed');
    assert.equal(state.ui.filter.source, 'hit', 'k did not land in the filter');
    assert.equal(state.ui.follow, false, 'k moved the selection');
    assert.deepEqual(
      visibleEvents(state).map((event) => event.seq),
      [1, 4],
    );
  });
});

describe('the Sessions selection follows the session', () => {
  const session = (id: string, seq: number) =>
    makeEvent(
      'SessionStart',
      {
        seq,
        sessionId: id,
        receivedAt: new Date(NOW - 10_000 + seq * 1000).toISOString(),
        occurredAt: new Date(NOW - 10_000 + seq * 1000).toISOString(),
      },
      { session_id: id },
    );

  test('a new session taking the first row leaves the selection on the session it was on', () => {
    let state = run(start([session('aaaa', 1), session('bbbb', 2)]), { type: 'view', view: 'sessions' });
    const ids = () => listedSessions(state).map((entry) => entry.sessionId);
    assert.deepEqual(ids(), ['bbbb', 'aaaa']);
    state = reduce(state, { type: 'move', delta: 1, pageSize: 10 });
    assert.equal(
      listedSessions(state)[selectedSessionIndex(state.ui, listedSessions(state))]!.sessionId,
      'aaaa',
    );
    state = reduce(state, { type: 'events', events: [session('cccc', 3)], now: NOW });
    assert.deepEqual(ids(), ['cccc', 'bbbb', 'aaaa']);
    assert.equal(
      listedSessions(state)[selectedSessionIndex(state.ui, listedSessions(state))]!.sessionId,
      'aaaa',
    );
    const opened = reduce(state, { type: 'open' });
    assert.deepEqual(opened.ui.overlay, { kind: 'session', sessionId: 'aaaa', scroll: 0 });
  });

  test("Esc from a session's events goes back to its detail in the Sessions view", () => {
    let state = run(
      start([session('aaaa', 1)]),
      { type: 'view', view: 'sessions' },
      { type: 'open' },
      { type: 'open' },
    );
    assert.equal(state.ui.view, 'events');
    assert.equal(state.ui.filter.source, 'session:aaaa');
    state = reduce(state, { type: 'back' });
    assert.equal(state.ui.view, 'sessions');
    assert.deepEqual(state.ui.overlay, { kind: 'session', sessionId: 'aaaa', scroll: 0 });
    assert.equal(state.ui.filter.terms.length, 0, 'the session filter went with it');
    state = reduce(state, { type: 'back' });
    assert.deepEqual([state.ui.view, state.ui.overlay], ['sessions', null]);
    // Opened any other way, Esc in the Events view clears the filter as before.
    const typed = run(
      start([session('aaaa', 1)]),
      { type: 'filterStart' },
      { type: 'filterDraft', text: 'session:aaaa' },
      { type: 'filterCommit' },
      { type: 'back' },
    );
    assert.deepEqual([typed.ui.view, typed.ui.filter.terms.length], ['events', 0]);
  });
});

describe('find (f, n, N) beside the filter (/)', () => {
  test('f highlights without hiding; n/N jump between the matches, wrapping; the header counts them', () => {
    let state = start(bashEvents(10)); // hits at 1, 4, 7, 10
    state = typeChunk(state, 'f');
    assert.equal(state.ui.prompt, 'search');
    state = typeChunk(state, 'hit\r');
    assert.equal(visibleEvents(state).length, 10, 'nothing hidden');
    assert.deepEqual(searchMatches(state.ui, visibleEvents(state)), [0, 3, 6, 9]);
    const selectedSeq = (s: TuiState) => visibleEvents(s)[selectedIndex(s.ui, visibleEvents(s))]!.seq;
    assert.equal(
      selectedSeq(state),
      10,
      'Enter goes to the nearest match at or above (the newest when following)',
    );
    state = typeChunk(state, 'n');
    assert.equal(selectedSeq(state), 1, 'n wraps to the first');
    state = typeChunk(state, 'nn');
    assert.equal(selectedSeq(state), 7);
    state = typeChunk(state, 'N');
    assert.equal(selectedSeq(state), 4);
    state = typeChunk(state, 'NN');
    assert.equal(selectedSeq(state), 10, 'N wraps to the last');
    const second = lineText(headerLines(state, theme, 120, 'x', 10)[1]!);
    assert.match(second, /find: hit 4\/4 matches \(n\/N\)/);
    assert.match(
      lineText(headerLines(typeChunk(state, 'n'), theme, 120, 'x', 10)[1]!),
      /find: hit 1\/4 matches/,
    );
    assert.doesNotMatch(second, /filter:/);
    const rows = eventsLines(state, theme, 120, 12).map(lineText);
    assert.match(
      rows.find((row) => row.includes('echo hit 3'))!,
      /^\*/,
      'a match is marked without colour',
    );
    assert.match(
      rows.find((row) => row.includes('echo hit 9'))!,
      /^›/,
    );
    assert.match(
      rows.find((row) => row.includes('echo miss 1'))!,
      /^ /,
    );
    // The filter says it is the filter.
    const filtered = typeChunk(state, '/miss\r');
    assert.match(
      lineText(headerLines(filtered, theme, 120, 'x', 10)[1]!),
      /filter: miss .*find: hit 0 matches/,
    );
    // Esc clears the find first, then the filter.
    const cleared = reduce(filtered, { type: 'back' });
    assert.deepEqual([cleared.ui.search.terms.length, cleared.ui.filter.source], [0, 'miss']);
  });

  test('a find without a match says so; n without a find says how to start one', () => {
    const state = typeChunk(start(bashEvents(3)), 'fnothing-like-it\r');
    assert.match(state.ui.notice?.text ?? '', /find: no event matches "nothing-like-it"/);
    assert.match(typeChunk(start(bashEvents(3)), 'n').ui.notice?.text ?? '', /f starts a find/);
  });
});

describe('mouse', () => {
  test('SGR reports: press, release, wheel; others are not mouse', () => {
    assert.deepEqual(parseMouse('\u001b[<0;12;3M'), { kind: 'press', button: 0, column: 11, row: 2 });
    assert.deepEqual(parseMouse('[<0;12;3m'), { kind: 'release', column: 11, row: 2 });
    assert.deepEqual(parseMouse('[<64;1;9M'), { kind: 'wheel', delta: -1, column: 0, row: 8 });
    assert.deepEqual(parseMouse('[<65;1;9M'), { kind: 'wheel', delta: 1, column: 0, row: 8 });
    assert.equal(parseMouse('[<32;5;5M'), null, 'motion');
    assert.equal(parseMouse('j'), null);
  });

  test('a click on a tab switches to it; on a row selects it; the wheel scrolls', () => {
    let state = start(bashEvents(10));
    const layout = { tabsRow: 1, bodyTop: 2, bodyHeight: 8, tabs: tabSpans(120, theme) };
    const health = tabSpans(120, theme).find((span) => span.view === 'health')!;
    assert.deepEqual(
      mouseAction({ kind: 'press', button: 0, column: health.from + 1, row: 1 }, state.ui, layout),
      {
        type: 'view',
        view: 'health',
      },
    );
    // Body row 0 is the title; the list (7 rows, following: events 4..10) starts on screen row 3.
    const click = mouseAction({ kind: 'press', button: 0, column: 5, row: 4 }, state.ui, layout)!;
    assert.deepEqual(click, { type: 'selectRow', row: 1, pageSize: 7 });
    state = reduce(state, click);
    assert.equal(state.ui.selectedSeq, 5);
    assert.equal(
      mouseAction({ kind: 'press', button: 0, column: 5, row: 2 }, state.ui, layout),
      null,
      'the title',
    );
    const typing = { ...state.ui, filterDraft: 'ab' };
    const onTab = { kind: 'press', button: 0, column: health.from + 1, row: 1 } as const;
    assert.equal(mouseAction(onTab, typing, layout), null, 'a click while typing a filter does nothing');
    assert.deepEqual(mouseAction({ kind: 'wheel', delta: -1, column: 0, row: 5 }, state.ui, layout), {
      type: 'move',
      delta: -3,
      pageSize: 8,
    });
  });
});

describe('header figures', () => {
  test('an ev/s sparkline (ASCII under --ascii), the position and "N new below" while scrolled up', () => {
    let state = createTuiState({ bufferSize: 100 }, NOW);
    state = reduce(state, { type: 'connection', state: { kind: 'connected', since: 0 } });
    let seq = 1;
    for (let second = 0; second < 10; second += 1) {
      const events = Array.from({ length: second * 2 }, () => makeEvent('Stop', { seq: seq++ }));
      state = reduce(state, { type: 'events', events, now: NOW - 10_000 + second * 1000 + 1 });
    }
    state = reduce(state, { type: 'tick', now: NOW });
    const [first, second] = headerLines(state, theme, 120, 'x', 10).map(lineText);
    assert.match(first!, /14 ev\/s {2}▁▂▃▃▄▅▆▆▇█/);
    const ascii = lineText(headerLines(state, makeTheme({ color: false, ascii: true }), 120, 'x', 10)[0]!);
    assert.match(ascii, /ev\/s {2}_\.::-/);
    assert.match(second!, / 90\/90$/, 'the position of the selection');
    state = reduce(state, { type: 'move', delta: -30, pageSize: 10 });
    assert.match(lineText(headerLines(state, theme, 120, 'x', 10)[1]!), / 60\/90$/);
    assert.doesNotMatch(lineText(headerLines(state, theme, 120, 'x', 10)[1]!), /new below/);
    state = reduce(state, {
      type: 'events',
      events: [makeEvent('Stop', { seq: 91 }), makeEvent('Stop', { seq: 92 })],
      now: NOW,
    });
    assert.match(lineText(headerLines(state, theme, 120, 'x', 10)[1]!), /↓ 2 new below {2}60\/92/);
    state = reduce(state, { type: 'bottom', pageSize: 10 });
    assert.doesNotMatch(lineText(headerLines(state, theme, 120, 'x', 10)[1]!), /new below/);
  });
});

describe('narrow panes, NO_COLOR, --ascii', () => {
  test('at 40 and 50 columns the header keeps the health state (the address goes first)', () => {
    let state = start(bashEvents(3));
    state = run(
      state,
      { type: 'connection', state: { kind: 'connected', since: 0 } },
      { type: 'health', report: healthReport('warn', 400) },
    );
    for (const width of [40, 45, 50]) {
      const first = lineText(headerLines(state, theme, width, '127.0.0.1:8765', 10)[0]!);
      assert.match(first, /⚠ warn/, `${width}: ${first}`);
      assert.ok(Array.from(first).length < width, first);
    }
  });

  test('help never cuts a word, at any width', () => {
    const tokens = new Set(KEYMAP.flatMap((entry) => `${entry.keys} ${entry.what}`.split(/\s+/)));
    for (const width of [40, 50, 60, 80, 120]) {
      const lines = helpLines(width).map(lineText);
      for (const line of lines.slice(2)) {
        assert.ok(Array.from(line).length <= width, `${width}: wider: ${line}`);
        for (const word of line.trim().split(/\s+/).filter(Boolean))
          assert.ok(tokens.has(word), `${width}: "${word}" is cut: ${line}`);
      }
    }
  });

  test('the Health view never cuts a check name at 120 columns: the sparkline gives way', () => {
    const base = healthReport('pass', 100);
    const checks: HealthReport['checks'] = {};
    for (const name of ['service:deliveryBacklog', 'process:eventLoopLag', 'journal:corruptLines'])
      checks[name] = { ...base.checks.memoryMb!, name };
    const state = reduce(createTuiState({ bufferSize: 10 }, NOW), {
      type: 'health',
      report: { ...base, checks },
    });
    for (const width of [120, 100, 80]) {
      const text = healthLines(state, theme, width).map(lineText);
      for (const name of Object.keys(checks))
        assert.ok(
          text.some((line) => line.includes(`${name} `)),
          `${width}: ${name} cut:\n${text.join('\n')}`,
        );
      for (const line of text) assert.ok(Array.from(line).length <= width, line);
    }
  });

  test('--ascii: a plain stand-in for every glyph the TUI draws, never "?"', () => {
    assert.equal(asciiSafe('startup · claude … ✓ → ok'), 'startup - claude ... + -> ok');
    assert.equal(asciiSafe('café'), 'cafe');
    // Every non-ASCII character in the source the TUI renders from has its stand-in.
    const roots = ['source/tui', 'source/sessions', 'source/errors', 'source/health', 'source/protocol'];
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    const files = roots.flatMap(walk);
    const missing = new Set<string>();
    for (const file of files) {
      if (file.endsWith('ascii.ts')) continue;
      const code = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
        .join('\n');
      // eslint-disable-next-line no-control-regex
      for (const char of code.match(/[^\u0000-\u007f]/gu) ?? [])
        if (
          ASCII_REPLACEMENTS[char] === undefined &&
          // eslint-disable-next-line no-control-regex
          char.normalize('NFKD').replace(/[^\u0000-\u007f]/g, '') === ''
        )
          missing.add(`${char} (${file})`);
    }
    assert.deepEqual([...missing], []);
  });

  test('without colour the active tab is in brackets and the selected row has its marker', () => {
    const state = start(bashEvents(3));
    assert.match(lineText(headerLines(state, theme, 100, 'x', 10)[1]!), /^\[1 Events\] 2 Sessions/);
    const colour = makeTheme({ color: true, ascii: false });
    assert.match(lineText(headerLines(state, colour, 100, 'x', 10)[1]!), /^ 1 Events {2}2 Sessions/);
    assert.match(eventsLines(state, theme, 100, 10).map(lineText).at(-1)!, /^›/);
  });
});

describe('event order, cuts, bookkeeping (issue 9)', () => {
  const at = (seconds: number) => new Date(NOW - 60_000 + seconds * 1000).toISOString();
  const late: MonEvent[] = [
    makeEvent('UserPromptSubmit', { seq: 1, occurredAt: at(1), receivedAt: at(1) }),
    makeEvent('PreToolUse', { seq: 2, occurredAt: at(5), receivedAt: at(5) }, { tool_use_id: 'a' }),
    // Spooled while the daemon was away: happened at 2 and 3, delivered at 10.
    makeEvent(
      'PostToolUse',
      { seq: 3, occurredAt: at(3), receivedAt: at(10), source: 'spool' },
      { tool_use_id: 'x' },
    ),
    makeEvent('Notification', { seq: 4, occurredAt: at(2), receivedAt: at(10), source: 'spool' }),
    makeEvent(
      'PreToolUse',
      { seq: 5, sessionId: 'other', occurredAt: at(0), receivedAt: at(11) },
      { session_id: 'other', tool_use_id: 'o' },
    ),
  ];

  test("a session's events are in the order they happened; the whole stream stays in seq order", () => {
    const state = start(late);
    assert.deepEqual(
      visibleEvents(state).map((event) => event.seq),
      [1, 2, 3, 4, 5],
    );
    const session = typeChunk(state, `/session:${SESSION.slice(0, 8)}\r`);
    assert.deepEqual(
      visibleEvents(session).map((event) => event.seq),
      [1, 4, 3, 2],
    );
    // Moving through the reordered list goes row by row.
    const up = reduce(session, { type: 'move', delta: -1, pageSize: 10 });
    assert.equal(up.ui.selectedSeq, 3);
    assert.equal(reduce(up, { type: 'move', delta: -1, pageSize: 10 }).ui.selectedSeq, 4);
    // The time column shows when it happened.
    assert.match(
      eventsLines(session, theme, 120, 10).map(lineText)[2]!,
      new RegExp(new Date(at(2)).toTimeString().slice(0, 8)),
    );
  });

  test('the detail says what was cut to fit events.maxBytes', () => {
    const event = makeEvent('PreToolUse', {
      seq: 1,
      truncated: [{ path: '$.tool_input.content', originalBytes: 1_468_006 }],
    });
    const text = detailLines(event, 100).map(lineText).join('\n');
    assert.match(text, /cut to fit events\.maxBytes: \$\.tool_input\.content \(1,468,006 bytes originally\)/);
    assert.doesNotMatch(
      detailLines(makeEvent('Stop', { seq: 2 }), 100)
        .map(lineText)
        .join('\n'),
      /cut to fit/,
    );
  });

  test('bookkeeping events are folded out by default, b shows them, type: finds them, the header says so', () => {
    assert.ok(BOOKKEEPING_EVENTS.has('PostToolBatch'));
    const events = [
      makeEvent('PreToolUse', { seq: 1 }),
      makeEvent('PostToolBatch', { seq: 2 }),
      makeEvent('MessageDisplay', { seq: 3 }),
      makeEvent('Stop', { seq: 4 }),
    ];
    let state = start(events);
    assert.deepEqual(
      visibleEvents(state).map((event) => event.seq),
      [1, 4],
    );
    assert.equal(eventsView(state).folded, 2);
    assert.match(lineText(headerLines(state, theme, 120, 'x', 10)[1]!), /2 bookkeeping folded \(b shows\)/);
    state = typeChunk(state, 'b');
    assert.deepEqual(
      visibleEvents(state).map((event) => event.seq),
      [1, 2, 3, 4],
    );
    assert.match(lineText(headerLines(state, theme, 120, 'x', 10)[1]!), /bookkeeping shown \(b folds\)/);
    const asked = typeChunk(typeChunk(state, 'b'), '/type:PostToolBatch\r');
    assert.deepEqual(
      visibleEvents(asked).map((event) => event.seq),
      [2],
      'asked for by type, it is found',
    );
    const text = typeChunk(typeChunk(state, 'b'), '/PostToolBatch\r');
    assert.deepEqual(
      visibleEvents(text).map((event) => event.seq),
      [],
      'plain text leaves them folded',
    );
    assert.equal(eventsView(text).folded, 1, 'and the header counts the folded match');
  });
});

describe('the keymap is the one list of keys', () => {
  test('every key the TUI acts on is in KEYMAP; the README Keys table is made from it', () => {
    const ui = createTuiState({ bufferSize: 10 }, NOW).ui;
    const documented = KEYMAP.map((entry) => entry.keys).join(', ');
    for (let code = 0x21; code < 0x7f; code += 1) {
      const char = String.fromCharCode(code);
      for (const view of ['events', 'sessions'] as const) {
        if (keyToAction(char, {}, { ...ui, view }, 10) === null) continue;
        const listed =
          documented.split(/[ ,]+/).includes(char) || (/[1-5]/.test(char) && documented.includes('1-5'));
        assert.ok(listed, `"${char}" does something but is not in KEYMAP`);
      }
    }
    const readme = readFileSync('README.md', 'utf8');
    const normal = (text: string) => text.replace(/ +/g, ' ').replace(/-{3,}/g, '---');
    assert.ok(
      normal(readme).includes(normal(keysMarkdown())),
      `README.md lacks the Keys table:\n${keysMarkdown()}`,
    );
  });
});
