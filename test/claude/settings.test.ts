import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HOOK_EVENT_NAMES, NOT_OVER_HTTP } from '../../source/claude/hook-events.js';
import { SettingsError } from '../../source/claude/settings-error.js';
import {
  commandHandler,
  detectIndent,
  httpFormChoice,
  httpHandler,
  inspectHooks,
  installHooks,
  ourHandlerForm,
  parseSettings,
  uninstallHooks,
  type Settings,
} from '../../source/claude/settings.js';

const ours = commandHandler('mpm-mon hook');
const theirs = { type: 'command', command: 'prettier --write "$CLAUDE_FILE"' };

function settingsWithOtherHooks(): Settings {
  return {
    model: 'sonnet',
    permissions: { allow: ['Bash(npm test)'] },
    hooks: {
      PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'audit-bash' }] }],
      PostToolUse: [{ matcher: 'Edit|Write', hooks: [theirs] }],
      Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
      CustomEvent: [{ hooks: [{ type: 'command', command: 'x' }] }],
    },
  };
}

describe('installHooks', () => {
  test('into empty settings registers every event, with a "*" matcher on tool events only', () => {
    const { settings, changed, changes } = installHooks({}, ours);
    assert.equal(changed, true);
    assert.deepEqual(
      changes.map((change) => change.change),
      HOOK_EVENT_NAMES.map(() => 'added'),
    );
    const hooks = settings.hooks as Record<string, unknown>;
    assert.deepEqual(Object.keys(hooks), [...HOOK_EVENT_NAMES]);
    assert.deepEqual(hooks.PreToolUse, [{ matcher: '*', hooks: [ours] }]);
    assert.deepEqual(hooks.PostToolUse, [{ matcher: '*', hooks: [ours] }]);
    assert.deepEqual(hooks.SessionStart, [{ hooks: [ours] }]);
    assert.deepEqual(hooks.PostToolUseFailure, [{ matcher: '*', hooks: [ours] }]);
    assert.deepEqual(inspectHooks(settings), {
      installed: [...HOOK_EVENT_NAMES],
      missing: [],
      skippedHttp: [],
      form: 'command',
      httpUrls: [],
      commands: [ours.command],
      disabled: false,
    });
  });

  test('the http form: command hooks where Claude Code sends nothing over http, http hooks elsewhere', () => {
    const http = httpHandler('127.0.0.1', 9123);
    const { settings } = installHooks({}, httpFormChoice(http, ours));
    const hooks = settings.hooks as Record<string, Array<{ hooks: unknown[] }>>;
    for (const event of HOOK_EVENT_NAMES)
      assert.deepEqual(hooks[event]![0]!.hooks, [NOT_OVER_HTTP.has(event) ? ours : http], event);
    assert.equal(http.url, 'http://127.0.0.1:9123/events?from=claude-code');
    assert.ok(http.timeout <= 0.2, `a stalled daemon costs ${http.timeout} s per event`);
    assert.deepEqual(inspectHooks(settings), {
      installed: [...HOOK_EVENT_NAMES],
      missing: [],
      skippedHttp: [],
      form: 'http',
      httpUrls: [http.url],
      commands: [ours.command],
      disabled: false,
    });
    // Installing again changes nothing; the command form replaces the http entries.
    assert.equal(installHooks(settings, httpFormChoice(http, ours)).changed, false);
    const back = installHooks(settings, ours);
    assert.equal(inspectHooks(back.settings).form, 'command');
    assert.deepEqual(inspectHooks(back.settings).httpUrls, []);
  });

  test('keeps other settings keys and other hooks exactly, and does not mutate its input', () => {
    const input = settingsWithOtherHooks();
    const snapshot = structuredClone(input);
    const { settings } = installHooks(input, ours);
    assert.deepEqual(input, snapshot);
    assert.equal(settings.model, 'sonnet');
    assert.deepEqual(settings.permissions, snapshot.permissions);
    const hooks = settings.hooks as Record<string, unknown[]>;
    assert.deepEqual(hooks.PreToolUse, [
      { matcher: 'Bash', hooks: [{ type: 'command', command: 'audit-bash' }] },
      { matcher: '*', hooks: [ours] },
    ]);
    assert.deepEqual(hooks.Stop, [
      { hooks: [{ type: 'command', command: 'notify-send done' }] },
      { hooks: [ours] },
    ]);
    assert.deepEqual(hooks.CustomEvent, [{ hooks: [{ type: 'command', command: 'x' }] }]);
  });

  test('twice is idempotent: the second run changes nothing', () => {
    const first = installHooks(settingsWithOtherHooks(), ours);
    const second = installHooks(first.settings, ours);
    assert.equal(second.changed, false);
    assert.ok(second.changes.every((change) => change.change === 'unchanged'));
    assert.equal(JSON.stringify(second.settings), JSON.stringify(first.settings));
  });

  test('an older entry of ours is updated in place, duplicates of ours are removed', () => {
    const old = {
      type: 'command',
      command: '"/usr/bin/node" "/opt/lib/node_modules/mpm-mon/dist/cli.js" hook',
    };
    const input: Settings = {
      hooks: {
        PreToolUse: [
          { matcher: '*', hooks: [theirs, old] },
          { matcher: '*', hooks: [{ type: 'command', command: 'mpm-mon hook' }] },
        ],
      },
    };
    const { settings, changes } = installHooks(input, ours);
    const hooks = settings.hooks as Record<string, unknown[]>;
    assert.deepEqual(hooks.PreToolUse, [{ matcher: '*', hooks: [theirs, ours] }]);
    assert.equal(changes.find((change) => change.event === 'PreToolUse')?.change, 'updated');
    assert.equal(changes.find((change) => change.event === 'Stop')?.change, 'added');
  });

  test('switching form replaces the other form instead of adding a second entry', () => {
    const http = httpHandler('127.0.0.1', 8765);
    const viaHttp = installHooks({}, http).settings;
    assert.equal(inspectHooks(viaHttp).form, 'http');
    const back = installHooks(viaHttp, ours).settings;
    assert.deepEqual(inspectHooks(back).form, 'command');
    assert.deepEqual((back.hooks as Record<string, unknown>).Stop, [{ hooks: [ours] }]);
  });

  test('a "hooks" that is not an object, or an event that is not an array, is refused, not replaced', () => {
    assert.throws(
      () => installHooks({ hooks: [] }, ours, { file: 'x/settings.json' }),
      (error: unknown) =>
        error instanceof SettingsError &&
        /"hooks" in x\/settings\.json must be an object/.test(error.message),
    );
    assert.throws(
      () => installHooks({ hooks: { Stop: { command: 'x' } } }, ours),
      (error: unknown) => error instanceof SettingsError && /hooks\.Stop/.test(error.message),
    );
  });
});

describe('uninstallHooks', () => {
  test('removes only our entries and the containers only we used', () => {
    const installed = installHooks(settingsWithOtherHooks(), ours).settings;
    const { settings, changed } = uninstallHooks(installed);
    assert.equal(changed, true);
    assert.deepEqual(settings, settingsWithOtherHooks());
  });

  test('drops "hooks" entirely when only ours were there', () => {
    const { settings } = uninstallHooks(installHooks({ theme: 'dark' }, ours).settings);
    assert.deepEqual(settings, { theme: 'dark' });
  });

  test('keeps a group we shared with someone else, minus our handler', () => {
    const input: Settings = {
      hooks: { Stop: [{ hooks: [theirs, { type: 'command', command: 'mpm-mon hook' }] }] },
    };
    assert.deepEqual(uninstallHooks(input).settings, { hooks: { Stop: [{ hooks: [theirs] }] } });
  });

  test('with nothing of ours changes nothing', () => {
    const input = settingsWithOtherHooks();
    const result = uninstallHooks(input);
    assert.equal(result.changed, false);
    assert.equal(result.settings, input);
  });

  test('removes the http form too, and commands this installation registered by absolute path', () => {
    const custom = '"/usr/bin/node" "/src/checkout/dist/cli.js" hook';
    const input: Settings = {
      hooks: {
        Stop: [{ hooks: [httpHandler('127.0.0.1', 9000)] }],
        SessionEnd: [{ hooks: [{ type: 'command', command: custom }] }],
      },
    };
    // A path without "mpm-mon" in it is only recognised when it is this installation's own command.
    assert.deepEqual(uninstallHooks(input).settings, {
      hooks: { SessionEnd: [{ hooks: [{ type: 'command', command: custom }] }] },
    });
    assert.deepEqual(uninstallHooks(input, { knownCommands: [custom] }).settings, {});
  });
});

describe('recognising our entries', () => {
  const cases: Array<[unknown, 'command' | 'http' | null]> = [
    [{ type: 'command', command: 'mpm-mon hook' }, 'command'],
    [{ type: 'command', command: '/usr/local/bin/mpm-mon hook' }, 'command'],
    [{ type: 'command', command: '"C:\\Program Files\\nodejs\\mpm-mon.cmd" hook' }, 'command'],
    [{ type: 'command', command: 'node /home/u/node_modules/mpm-mon/dist/cli.js hook' }, 'command'],
    [{ type: 'command', command: 'mpm-mon hooks-report' }, null],
    [{ type: 'command', command: 'not-mpm-mon hook' }, null],
    [{ type: 'command', command: 'echo mpm-mon hook > /tmp/x' }, null],
    [
      {
        type: 'http',
        url: 'http://127.0.0.1:8765/events',
        headers: { Authorization: 'Bearer ${MPM_MON_TOKEN}' },
      },
      'http',
    ],
    [
      { type: 'http', url: 'http://127.0.0.1:8765/events', headers: { Authorization: 'Bearer $OTHER' } },
      null,
    ],
    [
      { type: 'http', url: 'http://example.com/hook', headers: { Authorization: 'Bearer $MPM_MON_TOKEN' } },
      null,
    ],
    ['mpm-mon hook', null],
    [null, null],
  ];
  for (const [handler, expected] of cases)
    test(`${JSON.stringify(handler)} → ${String(expected)}`, () =>
      assert.equal(ourHandlerForm(handler), expected));
});

describe('inspectHooks', () => {
  test('reports missing events, mixed forms and disableAllHooks, and tolerates any shape', () => {
    const settings: Settings = {
      disableAllHooks: true,
      hooks: {
        Stop: [{ hooks: [ours] }],
        SessionEnd: [{ hooks: [httpHandler('127.0.0.1', 8765)] }],
        PreToolUse: 'nonsense',
      },
    };
    const inspection = inspectHooks(settings);
    assert.deepEqual(inspection.installed, ['Stop', 'SessionEnd']);
    assert.equal(inspection.missing.length, HOOK_EVENT_NAMES.length - 2);
    assert.equal(inspection.form, 'mixed');
    assert.equal(inspection.disabled, true);
    assert.deepEqual(inspectHooks(42), {
      installed: [],
      missing: [...HOOK_EVENT_NAMES],
      skippedHttp: [],
      form: null,
      httpUrls: [],
      commands: [],
      disabled: false,
    });
  });

  test('an http hook on an event Claude Code never sends over http does not count as installed', () => {
    const http = httpHandler('127.0.0.1', 8765);
    const inspection = inspectHooks({
      hooks: { SessionStart: [{ hooks: [http] }], Stop: [{ hooks: [http] }] },
    });
    assert.deepEqual(inspection.installed, ['Stop']);
    assert.deepEqual(inspection.skippedHttp, ['SessionStart']);
    assert.ok(inspection.missing.includes('SessionStart'));
    assert.equal(inspection.form, 'http');
  });
});

describe('parseSettings', () => {
  test('invalid JSON names the file, the line and the column', () => {
    const text = '{\n  "model": "sonnet",\n  "hooks": {,}\n}\n';
    assert.throws(
      () => parseSettings(text, '/p/.claude/settings.json'),
      (error: unknown) => {
        assert.ok(error instanceof SettingsError);
        assert.equal(error.code, 'SETTINGS_INVALID_JSON');
        assert.match(error.message, /\/p\/\.claude\/settings\.json is not valid JSON \(line 3, column 13\)/);
        assert.deepEqual([error.context.line, error.context.column], [3, 13]);
        return true;
      },
    );
  });

  test('a JSON value that is not an object is refused; an empty file is empty settings', () => {
    assert.throws(() => parseSettings('[1]', 'f.json'), /f\.json must hold a JSON object, not an array/);
    assert.deepEqual(parseSettings('  \n', 'f.json'), {});
  });

  test("detectIndent keeps the file's indentation", () => {
    assert.equal(detectIndent('{\n    "a": 1\n}'), '    ');
    assert.equal(detectIndent('{\n\t"a": 1\n}'), '\t');
    assert.equal(detectIndent('{}'), '  ');
    assert.equal(detectIndent(''), '  ');
  });
});
