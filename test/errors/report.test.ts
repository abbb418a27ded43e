import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthError,
  ConfigError,
  DaemonUnreachableError,
  HooksNotInstalledError,
} from '../../source/errors/index.js';
import { buildReport, type CheckFinding, type TroubleshootingReport } from '../../source/errors/report.js';
import { renderReportText, reportToJson } from '../../source/errors/report-text.js';
import { isDiagnostics } from '../../source/protocol/diagnostics.js';
import { disableColorIfAsked } from '../../source/tui/color-env.js';
import { colorAllowed, detectTextStyle, localeIsUtf8, wrap } from '../../source/errors/text-style.js';

const AT = '2030-01-02T03:04:05.000Z';
const hung = new DaemonUnreachableError({
  reason: 'hung',
  host: '127.0.0.1',
  port: 8765,
  pid: 42,
  timeoutMs: 500,
});
const rejected = new AuthError({ problem: 'token-rejected', tokenFile: '/h/token', status: 401 });
const badConfig = new ConfigError({
  key: 'port',
  value: -1,
  expected: 'an integer from 0 to 65535',
  source: 'file',
  where: '/h/config.json',
});
const noHooks = new HooksNotInstalledError({
  missingEvents: ['Stop'],
  installedScopes: ['user'],
  settingsFiles: [],
});

describe('buildReport: ordering', () => {
  test('failures before warnings, and the cause before what follows from it', () => {
    // Given in the "wrong" order on purpose.
    const report = buildReport({
      platform: 'linux',
      generatedAt: AT,
      errors: [noHooks, rejected, hung, badConfig],
    });
    assert.deepEqual(
      report.items.map((item) => item.code),
      ['CONFIG_INVALID', 'DAEMON_HUNG', 'AUTH_TOKEN_REJECTED', 'HOOKS_NOT_INSTALLED'],
    );
    assert.deepEqual(
      report.items.map((item) => item.severity),
      ['fail', 'fail', 'fail', 'warn'],
    );
    assert.equal(report.status, 'fail');
  });

  test('a doctor check takes its severity from its status and its steps from its error', () => {
    const checks: CheckFinding[] = [
      { name: 'hooks', status: 'warn', message: 'Stop is missing', error: noHooks, topic: 'hooks' },
      { name: 'auth', status: 'warn', message: 'not checked: the daemon is not reachable', topic: 'auth' },
      {
        name: 'daemon',
        status: 'warn',
        message: 'not running',
        fix: 'mpm-mon start',
        error: new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 8765 }),
        topic: 'reachability',
      },
      { name: 'node', status: 'pass', message: 'v20.20.2', topic: 'node' },
      { name: 'health', status: 'pass', message: 'not checked', details: { skipped: true } },
    ];
    const report = buildReport({ platform: 'darwin', generatedAt: AT, checks });
    assert.equal(report.status, 'warn');
    assert.deepEqual(
      report.items.map((item) => item.title),
      ['daemon: not running', 'auth: not checked: the daemon is not reachable', 'hooks: Stop is missing'],
    );
    const daemon = report.items[0]!;
    assert.match(daemon.steps[0]!, /^Start it: `mpm-mon start`/, 'the error gives the steps');
    assert.ok(daemon.commands.includes('mpm-mon start'));
    assert.match(daemon.explanation, /spool/);
    assert.deepEqual(report.fine, ['node: v20.20.2']);
  });

  test('everything fine: status pass, no items', () => {
    const report = buildReport({
      platform: 'win32',
      generatedAt: AT,
      checks: [{ name: 'node', status: 'pass', message: 'ok' }],
    });
    assert.equal(report.status, 'pass');
    assert.deepEqual(report.items, []);
  });

  test('the same problem from two sources appears once, at its worst severity', () => {
    const report = buildReport({
      platform: 'linux',
      generatedAt: AT,
      errors: [hung],
      checks: [{ name: 'daemon', status: 'warn', message: 'slow', error: hung }],
    });
    assert.equal(report.items.length, 1);
    assert.equal(report.items[0]!.severity, 'fail');
    assert.equal(report.items[0]!.title, hung.message, 'the worse finding speaks for it');
  });
});

describe('/diagnostics at the wire', () => {
  test('garbage, another program and an older shape are not a DiagnosticsResponse', () => {
    for (const body of [
      null,
      42,
      'x',
      [],
      { checks: 3, breaker: 'open', recovery: 'no' },
      { version: '0.1.0', health: { status: 'pass', checks: {} }, recovery: { log: [] }, status: { pid: 1 } },
    ])
      assert.equal(isDiagnostics(body), false, JSON.stringify(body));
  });
});

describe('renderReportText', () => {
  const report: TroubleshootingReport = buildReport({
    platform: 'linux',
    generatedAt: AT,
    errors: [hung, noHooks],
    checks: [{ name: 'node', status: 'pass', message: 'Node.js v20 — supported' }],
  });

  test('wraps prose to the width and never wraps a command', () => {
    for (const width of [40, 60, 100]) {
      const text = renderReportText(report, { width, ascii: false, color: false });
      for (const line of text.split('\n')) {
        if (line.trimStart().startsWith('$ ')) continue;
        assert.ok(line.length <= width, `${width}: ${JSON.stringify(line)}`);
      }
      assert.ok(text.includes("      $ ss -ltnp 'sport = :8765'"));
    }
  });

  test('symbols, numbered steps, commands of the platform, what is fine', () => {
    const text = renderReportText(report, { width: 80, ascii: false, color: false });
    assert.match(text, /^Troubleshooting: 1 failure, 1 warning\n\(linux, 2030-01-02T03:04:05.000Z\)\n/);
    assert.match(text, /\n✗ the daemon on 127\.0\.0\.1:8765 accepted/);
    assert.match(text, /\n! mpm-mon hooks are missing for 1 event\(s\): Stop\n/);
    assert.match(text, /\n {4}To fix:\n {6}1\. Look at the daemon log/);
    assert.match(text, /\n {4}Commands \(linux\):\n/);
    assert.match(text, /\nWhat is fine:\n {2}✓ node: Node\.js v20 — supported\n/);
    assert.ok(!text.includes('\u001B['), 'no colour unless allowed');
  });

  test('ASCII fallback has no character outside ASCII', () => {
    const text = renderReportText(report, { width: 80, ascii: true, color: false });
    assert.match(text, /\nx the daemon/);
    assert.match(text, /\n {2}\+ node: Node\.js v20 - supported\n/);
    assert.ok(/^[\x20-\x7E\n]*$/.test(text), 'ASCII only');
  });

  test('colour only when allowed', () => {
    const text = renderReportText(report, { width: 80, ascii: false, color: true });
    assert.ok(text.includes('\u001B[31m✗\u001B[0m'));
    assert.ok(text.includes('\u001B[33m!\u001B[0m'));
  });

  test('JSON is the same data', () => {
    assert.deepEqual(JSON.parse(reportToJson(report)), report);
  });
});

describe('text style', () => {
  test('locale decides ASCII; --ascii forces it', () => {
    assert.equal(localeIsUtf8({ LANG: 'en_US.UTF-8' }, 'linux'), true);
    assert.equal(localeIsUtf8({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }, 'linux'), false);
    assert.equal(localeIsUtf8({ LC_CTYPE: 'de_DE.utf8' }, 'linux'), true);
    assert.equal(localeIsUtf8({}, 'linux'), false);
    assert.equal(localeIsUtf8({}, 'win32'), true);
    assert.equal(detectTextStyle({ env: { LANG: 'C.UTF-8' }, ascii: true }).ascii, true);
  });

  test('colour: off for pipes, NO_COLOR, --no-color, TERM=dumb; FORCE_COLOR wins over a pipe', () => {
    assert.equal(colorAllowed({ env: {}, isTTY: true }), true);
    assert.equal(colorAllowed({ env: {}, isTTY: false }), false);
    assert.equal(colorAllowed({ env: { NO_COLOR: '1' }, isTTY: true }), false);
    assert.equal(colorAllowed({ env: {}, isTTY: true, flag: false }), false);
    assert.equal(colorAllowed({ env: { TERM: 'dumb' }, isTTY: true }), false);
    assert.equal(colorAllowed({ env: { FORCE_COLOR: '1' }, isTTY: false }), true);
    assert.equal(colorAllowed({ env: { FORCE_COLOR: '0' }, isTTY: true }), false);
  });

  test("one decision: the TUI's colour (tui/color-env) refuses what doctor's refuses", () => {
    for (const env of [{ NO_COLOR: '1' }, { FORCE_COLOR: '0' }, { TERM: 'dumb' }]) {
      const copy: NodeJS.ProcessEnv = { ...env };
      assert.equal(disableColorIfAsked(copy, false), false, JSON.stringify(env));
      assert.equal(colorAllowed({ env, isTTY: true }), false);
    }
    assert.equal(disableColorIfAsked({}, true), false, '--no-color');
    assert.equal(disableColorIfAsked({ TERM: 'xterm-256color' }, false), true);
  });

  test('width follows the terminal within bounds', () => {
    assert.equal(detectTextStyle({ env: {}, stream: { columns: 200 } }).width, 100);
    assert.equal(detectTextStyle({ env: {}, stream: { columns: 20 } }).width, 40);
    assert.equal(detectTextStyle({ env: {}, stream: {} }).width, 80);
  });

  test('wrap: hanging indent, long words cut, empty text one line', () => {
    assert.deepEqual(wrap('aa bb cc dd', 8, '- ', '  '), ['- aa bb', '  cc dd']);
    assert.deepEqual(wrap('abcdefghij', 6, '> ', '  '), ['> abcd', '  efgh', '  ij']);
    assert.deepEqual(wrap('', 10, 'x'), ['x']);
  });
});
