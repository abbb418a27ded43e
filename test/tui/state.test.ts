import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { appendEvents, createEventBuffer } from '../../source/tui/state/events-buffer.js';
import { applyFilter, matchesFilter, parseFilter, type EventFilter } from '../../source/tui/state/filter.js';
import { createHealthHistory, recordHealth, sparkline } from '../../source/tui/state/health-history.js';
import { EMPTY_RATE, HISTORY_SECONDS, ratePerSecond, recordArrivals } from '../../source/tui/state/rate.js';
import { oneLine, summarize } from '../../source/tui/state/summary.js';
import { formatMs } from '../../source/sessions/format.js';
import { toolCallOf } from '../../source/sessions/index.js';
import { createTuiState, reduce } from '../../source/tui/state/tui-state.js';
import { windowStart } from '../../source/tui/state/window.js';
import { healthReport } from './helpers.js';
import { makeEvent } from '../helpers/events.js';

describe('event buffer', () => {
  test('keeps the newest `capacity` events and counts what it dropped', () => {
    let buffer = createEventBuffer(3);
    buffer = appendEvents(
      buffer,
      [1, 2].map((seq) => makeEvent('Stop', { seq })),
    );
    buffer = appendEvents(
      buffer,
      [3, 4, 5].map((seq) => makeEvent('Stop', { seq })),
    );
    assert.deepEqual(
      buffer.events.map((event) => event.seq),
      [3, 4, 5],
    );
    assert.equal(buffer.dropped, 2);
    assert.equal(buffer.lastSeq, 5);
  });

  test('ignores duplicates and stale events, and returns the same buffer when nothing is new', () => {
    const buffer = appendEvents(createEventBuffer(10), [makeEvent('Stop', { seq: 5 })]);
    assert.equal(
      appendEvents(buffer, [makeEvent('Stop', { seq: 5 }), makeEvent('Stop', { seq: 3 })]),
      buffer,
    );
  });

  test('a batch larger than the capacity keeps only its tail', () => {
    const buffer = appendEvents(
      appendEvents(createEventBuffer(2), [makeEvent('Stop', { seq: 1 })]),
      [2, 3, 4, 5].map((seq) => makeEvent('Stop', { seq })),
    );
    assert.deepEqual(
      buffer.events.map((event) => event.seq),
      [4, 5],
    );
    assert.equal(buffer.dropped, 3);
  });

  test('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => createEventBuffer(0), /positive integer, got 0/);
  });

  test('property: never more than capacity, in seq order, kept + dropped = distinct new seqs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 30 }), { maxLength: 10 }),
        (capacity, batches) => {
          let buffer = createEventBuffer(capacity);
          let accepted = 0;
          for (const batch of batches) {
            let last = buffer.lastSeq;
            for (const seq of batch) {
              if (seq <= last) continue;
              accepted += 1;
              last = seq;
            }
            buffer = appendEvents(
              buffer,
              batch.map((seq) => makeEvent('Stop', { seq })),
            );
          }
          const seqs = buffer.events.map((event) => event.seq);
          return (
            seqs.length <= capacity &&
            seqs.every((seq, index) => index === 0 || seq > seqs[index - 1]!) &&
            seqs.length + buffer.dropped === accepted
          );
        },
      ),
    );
  });
});

describe('summaries', () => {
  test('the command, the file relative to cwd, the prompt first line, the notification', () => {
    assert.equal(summarize(makeEvent('PreToolUse')), 'npm test -- payment-client');
    assert.equal(
      summarize(
        makeEvent(
          'PreToolUse',
          { tool: 'Edit' },
          { tool_name: 'Edit', tool_input: { file_path: '/home/dev/shop/src/a.ts' } },
        ),
      ),
      'src/a.ts',
    );
    assert.equal(
      summarize(makeEvent('UserPromptSubmit')),
      'Add a retry with exponential backoff to the payment client',
    );
    assert.equal(summarize(makeEvent('Notification')), 'Claude needs your permission to use Bash');
    assert.equal(summarize(makeEvent('SessionEnd')), 'prompt_input_exit');
    assert.equal(summarize(makeEvent('SessionStart')), 'startup · claude-sonnet-4-5');
  });

  test('an unknown tool falls back to its input; newlines and control characters become spaces', () => {
    assert.equal(
      summarize(makeEvent('PreToolUse', { tool: 'Mystery' }, { tool_name: 'Mystery', tool_input: { x: 1 } })),
      '{"x":1}',
    );
    assert.equal(oneLine('a\n\tb\u0007c'), 'a b c');
  });

  test('very long values are cut', () => {
    const long = 'x'.repeat(5000);
    const summary = summarize(makeEvent('PreToolUse', {}, { tool_input: { command: long } }));
    assert.equal(summary.length, 300);
    assert.ok(summary.endsWith('…'));
  });
});

describe('tool pairing in the TUI (the session model)', () => {
  test('PreToolUse then PostToolUse with the same tool_use_id gives the duration', () => {
    const at = (iso: string) => ({ receivedAt: iso, occurredAt: iso });
    const pre = makeEvent('PreToolUse', { seq: 1, ...at('2025-06-01T10:00:00.000Z') });
    const post = makeEvent('PostToolUse', { seq: 2, ...at('2025-06-01T10:00:02.500Z') });
    let state = reduce(createTuiState({ bufferSize: 10 }, 0), { type: 'events', events: [pre], now: 0 });
    assert.equal(toolCallOf(state.sessions, pre)?.status, 'running');
    state = reduce(state, { type: 'events', events: [post], now: 0 });
    assert.equal(toolCallOf(state.sessions, post)?.durationMs, 2500);
    assert.equal(toolCallOf(state.sessions, pre)?.status, 'succeeded');
  });

  test('durations read naturally', () => {
    assert.deepEqual([420, 1500, 12_000, 125_000, 7_500_000].map(formatMs), [
      '420ms',
      '1.5s',
      '12s',
      '2m05s',
      '2h05m',
    ]);
  });
});

describe('filter', () => {
  const bash = makeEvent('PreToolUse', { seq: 1 });
  const edit = makeEvent(
    'PostToolUse',
    { seq: 2, tool: 'Edit', sessionId: 'abcdef' },
    { tool_name: 'Edit', tool_input: { file_path: '/home/dev/shop/README.md' } },
  );
  const prompt = makeEvent('UserPromptSubmit', { seq: 3 });
  const all = [bash, edit, prompt];
  const pick = (source: string) => {
    const parsed = parseFilter(source);
    assert.ok(parsed.ok, `"${source}" should parse`);
    return applyFilter((parsed as { filter: EventFilter }).filter, all).map((event) => event.seq);
  };

  test('plain text is case-insensitive over summary, type, tool, session, data', () => {
    assert.deepEqual(pick('readme'), [2]);
    assert.deepEqual(pick('PAYMENT'), [1, 3]);
    assert.deepEqual(pick(''), [1, 2, 3]);
    assert.deepEqual(pick('"exponential backoff"'), [3]);
  });

  test('facets: type:, tool:, session: (prefix)', () => {
    assert.deepEqual(pick('type:pretool'), [1]);
    assert.deepEqual(pick('type:ToolUse'), [1, 2]);
    assert.deepEqual(pick('tool:edit'), [2]);
    assert.deepEqual(pick('session:abc'), [2]);
    assert.deepEqual(pick('session:bcd'), []);
  });

  test('! inverts; terms combine with AND', () => {
    assert.deepEqual(pick('!tool:bash'), [2, 3]);
    assert.deepEqual(pick('type:tooluse !tool:edit'), [1]);
    assert.deepEqual(pick('!/npm\\s+test/'), [2, 3]);
  });

  test('regex, with spaces inside the slashes', () => {
    assert.deepEqual(pick('/npm test -- pay/'), [1]);
    assert.deepEqual(pick('/^userprompt/'), [3]);
  });

  test('bad input gets a clear error', () => {
    assert.deepEqual(parseFilter('/[z-a]/'), {
      ok: false,
      error: 'bad regex /[z-a]/: Range out of order in character class',
    });
    assert.deepEqual(parseFilter('/open'), { ok: false, error: 'a /regex/ is not closed' });
    assert.deepEqual(parseFilter('"open'), { ok: false, error: 'a quote is not closed' });
    assert.deepEqual(parseFilter('tool:'), { ok: false, error: '"tool:" needs a value, e.g. tool:Bash' });
  });

  test('a lone ! is text, not an inversion of nothing', () => {
    const parsed = parseFilter('!');
    assert.ok(parsed.ok && matchesFilter(parsed.filter, makeEvent('Stop', {}, { note: 'hey!' })));
  });
});

describe('health history and sparkline', () => {
  test('keeps the last values per check and when its status last changed', () => {
    let history = createHealthHistory(3);
    history = recordHealth(history, healthReport('pass', 100, '2025-06-01T10:00:00.000Z'));
    history = recordHealth(history, healthReport('pass', 150, '2025-06-01T10:00:05.000Z'));
    history = recordHealth(history, healthReport('warn', 400, '2025-06-01T10:00:10.000Z'));
    history = recordHealth(history, healthReport('warn', 450, '2025-06-01T10:00:15.000Z'));
    assert.deepEqual(history.checks.memoryMb, {
      values: [150, 400, 450],
      status: 'warn',
      changedAt: '2025-06-01T10:00:10.000Z',
    });
    assert.equal(history.checks.eventLoopLagMs?.changedAt, '2025-06-01T10:00:00.000Z');
  });

  test('sparkline scales between min and max, with an ASCII fallback and gaps for missing values', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8, false), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([0, 7, null, 3.5], 4, true), '_# =');
    assert.equal(sparkline([5, 5], 2, false), '▄▄');
    assert.equal(sparkline([1, 2, 3, 4], 2, false), '▁█');
    assert.equal(sparkline([], 4, false), '');
  });
});

describe('rate and window', () => {
  test('events per second over the last five completed seconds', () => {
    let rate = EMPTY_RATE;
    for (let second = 0; second < 10; second += 1) rate = recordArrivals(rate, 100, second * 1000 + 10);
    assert.equal(ratePerSecond(rate, 10_000), 100);
    assert.equal(ratePerSecond(rate, 30_000), 0);
    assert.ok(rate.buckets.length <= HISTORY_SECONDS + 1, "bounded: the sparkline's seconds and no more");
  });

  test('a steady 1,000 ev/s reads 1,000 while it flows (not 800: the oldest complete second is kept)', () => {
    let rate = EMPTY_RATE;
    for (let ms = 0; ms < 20_000; ms += 100) {
      rate = recordArrivals(rate, 100, ms);
      if (ms >= 6_000) assert.equal(ratePerSecond(rate, ms), 1000, `at ${ms} ms`);
    }
  });

  test('the window keeps the selection visible and moves as little as possible', () => {
    assert.equal(windowStart(0, 5, 10, 100), 0);
    assert.equal(windowStart(0, 12, 10, 100), 3);
    assert.equal(windowStart(20, 15, 10, 100), 15);
    assert.equal(windowStart(95, 99, 10, 100), 90);
    assert.equal(windowStart(0, 0, 10, 3), 0);
  });
});
