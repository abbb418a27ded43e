import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findPortOwnerCommands,
  inspectProcessCommands,
  killProcessCommands,
  loginServiceHint,
  quotePath,
} from '../../source/errors/platform-commands.js';

describe('platform commands', () => {
  test('port owner per OS', () => {
    assert.deepEqual(findPortOwnerCommands('linux', 8765), [
      "ss -ltnp 'sport = :8765'",
      'lsof -nP -iTCP:8765 -sTCP:LISTEN',
    ]);
    assert.deepEqual(findPortOwnerCommands('darwin', 8765), ['lsof -nP -iTCP:8765 -sTCP:LISTEN']);
    assert.equal(findPortOwnerCommands('win32', 8765)[0], 'netstat -ano | findstr :8765');
  });

  test('process inspection shows the start time on every OS', () => {
    assert.match(inspectProcessCommands('linux', 7)[0]!, /^ps -o .*lstart.* -p 7$/);
    assert.match(inspectProcessCommands('darwin', 7)[0]!, /^ps -p 7 -o .*lstart/);
    assert.ok(inspectProcessCommands('win32', 7).some((line) => line.includes('StartTime')));
    assert.deepEqual(killProcessCommands('win32', 7), ['taskkill /PID 7', 'taskkill /PID 7 /F']);
  });

  test('paths are quoted for the shell that runs them', () => {
    assert.equal(quotePath('linux', '/a/b.c'), '/a/b.c');
    assert.equal(quotePath('linux', "/a b/it's"), `'/a b/it'\\''s'`);
    assert.equal(quotePath('win32', 'C:\\Users\\A B\\x'), '"C:\\Users\\A B\\x"');
    assert.equal(quotePath('win32', 'C:\\x'), 'C:\\x');
  });
});

describe('keeping the daemon running at login', () => {
  const options = { execPath: '/opt/node/bin/node', cliPath: '/opt/mpm mon/dist/cli.js', home: '/data/mpm' };

  test('Linux: a systemd user unit that restarts after an emergency stop but not after a clean one', () => {
    const hint = loginServiceHint('linux', options);
    assert.equal(hint.manager, 'systemd');
    assert.equal(hint.file?.path, '~/.config/systemd/user/mpm-mon.service');
    const unit = hint.file.contents;
    assert.match(unit, /^\[Unit\]\n/);
    assert.match(unit, /\nExecStart=\/opt\/node\/bin\/node "\/opt\/mpm mon\/dist\/cli.js" --daemon\n/);
    assert.match(unit, /\nEnvironment=MPM_MON_HOME=\/data\/mpm\n/);
    assert.match(unit, /\nRestart=on-failure\n/);
    assert.match(unit, /\[Install\]\nWantedBy=default.target\n/);
    assert.ok(
      hint.commands.includes('systemctl --user daemon-reload && systemctl --user enable --now mpm-mon'),
    );
    assert.ok(hint.commands.includes('journalctl --user -u mpm-mon'));
  });

  test('macOS: a launchd agent bootstrapped into the GUI domain', () => {
    const hint = loginServiceHint('darwin', options);
    assert.equal(hint.file?.path, '~/Library/LaunchAgents/dev.mpm-mon.plist');
    const plist = hint.file.contents;
    assert.match(plist, /<key>Label<\/key>\n {2}<string>dev\.mpm-mon<\/string>/);
    assert.match(plist, /<string>\/opt\/mpm mon\/dist\/cli.js<\/string>\n {4}<string>--daemon<\/string>/);
    assert.match(plist, /<key>RunAtLoad<\/key>\n {2}<true\/>/);
    assert.match(plist, /<key>SuccessfulExit<\/key>\n {4}<false\/>/);
    assert.match(plist, /<key>MPM_MON_HOME<\/key>\n {4}<string>\/data\/mpm<\/string>/);
    assert.ok(
      hint.commands.includes('launchctl bootstrap gui/$(id -u) ~/Library/LaunchAgents/dev.mpm-mon.plist'),
    );
  });

  test('Windows: a scheduled task at log-on', () => {
    const hint = loginServiceHint('win32', {
      execPath: 'C:\\Program Files\\nodejs\\node.exe',
      cliPath: 'C:\\npm\\cli.js',
    });
    assert.equal(hint.file, undefined);
    assert.equal(
      hint.commands[0],
      'schtasks /Create /SC ONLOGON /TN "mpm-mon" /TR "\\"C:\\Program Files\\nodejs\\node.exe\\" C:\\npm\\cli.js --daemon" /RL LIMITED /F',
    );
    assert.deepEqual(hint.removeCommands, ['schtasks /Delete /TN "mpm-mon" /F']);
  });
});
