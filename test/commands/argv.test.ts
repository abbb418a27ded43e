import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeProblem, readArgv } from '../../source/commands/argv.js';
import { commandHelp, mainHelp } from '../../source/commands/help.js';
import { filterFromFlags, parseBound, parseCount } from '../../source/commands/query-flags.js';
import { COMMANDS, FLAGS, commandSpec } from '../../source/commands/spec.js';
import { closest } from '../../source/commands/suggest.js';
import { eventMatcher } from '../../source/protocol/event-filter.js';
import type { MonEvent } from '../../source/protocol/event.js';

describe('the command line: did you mean', () => {
  test('a mistyped command gets the closest one', () => {
    assert.deepEqual(readArgv(['stauts']).problem, {
      kind: 'unknown-command',
      command: 'stauts',
      suggestion: 'status',
    });
    assert.equal(
      closest(
        'doctr',
        COMMANDS.map((command) => command.name),
      ),
      'doctor',
    );
    assert.equal(
      closest(
        'install',
        COMMANDS.map((command) => command.name),
      ),
      'install-hooks',
    );
    assert.equal(
      closest(
        'frobnicate',
        COMMANDS.map((command) => command.name),
      ),
      null,
    );
  });

  test('a mistyped flag gets the closest flag of that command', () => {
    const problem = readArgv(['events', '--folow']).problem;
    assert.deepEqual(problem, {
      kind: 'unknown-flag',
      flag: '--folow',
      suggestion: '--follow',
      command: 'events',
    });
    assert.match(describeProblem(problem), /Did you mean --follow\?/);
    assert.match(describeProblem(problem), /mpm-mon events --help/);
  });

  test('a flag of another command says whose it is', () => {
    const problem = readArgv(['status', '--follow']).problem;
    assert.equal(problem?.kind, 'flag-elsewhere');
    assert.match(describeProblem(problem), /--follow does not apply to status; it is an option of events/);
  });

  test('values, --no- forms, short flags and global flags are not mistaken for problems', () => {
    assert.equal(readArgv(['events', '--type', 'Stop', '--last=3', '-f', '--no-color']).problem, null);
    assert.equal(readArgv(['--port', '9000', 'doctor']).command, 'doctor');
    assert.equal(readArgv(['--daemon', '--log-level', 'debug']).command, '--daemon');
    assert.equal(readArgv(['--no-start', '--no-mouse']).problem, null);
    assert.equal(readArgv(['events', '-x']).problem?.kind, 'unknown-flag');
  });
});

describe('the command line: help', () => {
  test('every command has help with its own options and an example', () => {
    for (const command of COMMANDS.filter((entry) => entry.name !== '')) {
      const text = commandHelp(command);
      assert.match(text, new RegExp(`\\$ mpm-mon ${command.name}`));
      assert.match(text, /Examples/);
    }
    const events = commandHelp(commandSpec('events')!);
    assert.match(events, /--since WHEN/);
    assert.match(events, /--follow, -f/);
  });

  test('the main help lists every command and every flag appears in some help', () => {
    const text = mainHelp();
    for (const command of COMMANDS.filter((entry) => entry.name !== ''))
      assert.match(text, new RegExp(`\\n    ${command.name}`));
    const all = [text, ...COMMANDS.map(commandHelp)].join('\n');
    for (const flag of FLAGS.filter((entry) => entry.name !== 'daemon'))
      assert.ok(all.includes(flag.name.replace(/[A-Z]/g, (l) => `-${l.toLowerCase()}`)), flag.name);
  });
});

describe('the command line: values', () => {
  const now = Date.parse('2026-05-01T12:00:00.000Z');

  test('--last abc says what is expected with a valid example', () => {
    assert.throws(
      () => parseCount('last', 'abc'),
      (error: Error & { steps?: string[] }) => {
        assert.match(error.message, /invalid value "abc" for --last: expected a whole number >= 0/);
        assert.deepEqual(error.steps, ['Run again with a valid value, e.g. --last 20.']);
        return true;
      },
    );
    assert.equal(parseCount('last', '0'), 0);
  });

  test('--since and --until take a seq, a duration or an ISO time', () => {
    assert.deepEqual(parseBound('since', '1200', now), { kind: 'seq', seq: 1200 });
    assert.deepEqual(parseBound('since', '10m', now), { kind: 'time', iso: '2026-05-01T11:50:00.000Z' });
    assert.deepEqual(parseBound('since', '1d', now), { kind: 'time', iso: '2026-04-30T12:00:00.000Z' });
    assert.deepEqual(parseBound('until', '2026-05-01T09:00:00Z', now), {
      kind: 'time',
      iso: '2026-05-01T09:00:00.000Z',
    });
    assert.throws(
      () => parseBound('since', 'yesterday', now),
      /expected a seq .* a duration ago .* an ISO time/,
    );
    assert.deepEqual(filterFromFlags({ since: '5', until: '9', type: 'stop' }, now), {
      after: 5,
      before: 10,
      type: 'stop',
    });
  });

  test('the filter: type in any case, a session prefix, seq and time bounds', () => {
    const event = (seq: number, type: string, sessionId: string, receivedAt: string): MonEvent => ({
      seq,
      id: `id${seq}`,
      receivedAt,
      occurredAt: receivedAt,
      type,
      sessionId,
      source: 'hook',
      tool: null,
      cwd: null,
      data: {},
    });
    const events = [
      event(1, 'PreToolUse', 'abc123', '2026-05-01T10:00:00.000Z'),
      event(2, 'Stop', 'abc123', '2026-05-01T11:00:00.000Z'),
      event(3, 'PreToolUse', 'def456', '2026-05-01T11:55:00.000Z'),
    ];
    const pick = (filter: Parameters<typeof eventMatcher>[0]) =>
      events.filter(eventMatcher(filter) ?? (() => true)).map((entry) => entry.seq);
    assert.deepEqual(pick({ type: 'pretooluse' }), [1, 3]);
    assert.deepEqual(pick({ sessionId: 'ABC' }), [1, 2]);
    assert.deepEqual(pick({ after: 1, before: 3 }), [2]);
    assert.deepEqual(pick(filterFromFlags({ since: '10m' }, now)), [3]);
    assert.deepEqual(pick(filterFromFlags({ until: '2026-05-01T11:00:00Z' }, now)), [1, 2]);
    assert.equal(eventMatcher({}), undefined);
  });
});
