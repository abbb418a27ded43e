import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { HOOK_EVENT_NAMES } from '../../source/claude/hook-events.js';
import {
  runInstallHooks,
  runUninstallHooks,
  type InstallHooksOptions,
} from '../../source/commands/install-hooks.js';
import { detectHookCommand, readHookStatus } from '../../source/claude/hook-install.js';
import { settingsPath } from '../../source/claude/settings-file.js';
import { inspectHooks } from '../../source/claude/settings.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';

const root = dirsRemovedAfter('mpm-mon-install-hooks-')();
let home: string;
let project: string;

let counter = 0;
function freshDirs(): void {
  counter += 1;
  home = path.join(root, `home-${counter}`);
  project = path.join(root, `project-${counter}`);
  fs.mkdirSync(home);
  fs.mkdirSync(project);
}

interface Captured {
  code: number;
  out: string;
  err: string;
}

function call(run: typeof runInstallHooks, options: InstallHooksOptions = {}): Captured {
  let out = '';
  let err = '';
  const code = run({
    home,
    cwd: project,
    env: { PATH: '', MPM_MON_HOME: path.join(root, 'state') },
    command: 'mpm-mon hook',
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    ...options,
  });
  return { code, out, err };
}

const userFile = (): string => path.join(home, '.claude', 'settings.json');
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const backups = (file: string): string[] =>
  fs
    .readdirSync(path.dirname(file))
    .filter((name) => name.startsWith(`${path.basename(file)}.`) && name.includes('bak'));

describe('install-hooks', () => {
  test('creates the user settings file with every event, 2-space JSON, no backup of nothing', () => {
    freshDirs();
    const result = call(runInstallHooks);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /mpm-mon hooks installed in .*settings\.json \(scope user\)/);
    const text = fs.readFileSync(userFile(), 'utf8');
    assert.ok(text.startsWith('{\n  "hooks": {\n    "SessionStart"'), text);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(inspectHooks(JSON.parse(text)).installed, [...HOOK_EVENT_NAMES]);
    assert.deepEqual(backups(userFile()), []);
  });

  test('merges into an existing file, keeps a backup, keeps its indentation; the second run writes nothing', () => {
    freshDirs();
    fs.mkdirSync(path.dirname(userFile()));
    const original = `{\n    "model": "opus",\n    "hooks": {\n        "Stop": [{ "hooks": [{ "type": "command", "command": "say done" }] }]\n    }\n}\n`;
    fs.writeFileSync(userFile(), original);
    assert.equal(call(runInstallHooks).code, 0);
    const text = fs.readFileSync(userFile(), 'utf8');
    assert.ok(text.startsWith('{\n    "model": "opus",\n    "hooks"'), text);
    const settings = readJson(userFile());
    assert.deepEqual((settings.hooks as Record<string, unknown[]>).Stop?.[0], {
      hooks: [{ type: 'command', command: 'say done' }],
    });
    const made = backups(userFile());
    assert.equal(made.length, 1);
    assert.equal(fs.readFileSync(path.join(path.dirname(userFile()), made[0]!), 'utf8'), original);

    const mtime = fs.statSync(userFile()).mtimeMs;
    const second = call(runInstallHooks);
    assert.equal(second.code, 0);
    assert.match(second.out, /already installed/);
    assert.equal(fs.readFileSync(userFile(), 'utf8'), text);
    assert.equal(fs.statSync(userFile()).mtimeMs, mtime);
    assert.equal(backups(userFile()).length, 1);
  });

  test('--dry-run prints a short diff of the hooks it adds (one line per event) and writes nothing', () => {
    freshDirs();
    fs.mkdirSync(path.join(project, '.claude'));
    const file = path.join(project, '.claude', 'settings.json');
    const original = `${JSON.stringify({ model: 'opus', permissions: { allow: Array.from({ length: 30 }, (_, n) => `Bash(cmd${n})`) } }, null, 2)}\n`;
    fs.writeFileSync(file, original);
    const result = call(runInstallHooks, { scope: 'project', dryRun: true });
    assert.equal(result.code, 0);
    assert.match(result.out, /dry run: .*would be installed/);
    const diff = result.out.split('\n').filter((line) => /^[+-] /.test(line));
    assert.equal(diff.length, HOOK_EVENT_NAMES.length, result.out);
    assert.match(result.out, /^\+ hooks\.PreToolUse: .*"command":"mpm-mon hook"/m);
    assert.doesNotMatch(result.out, /permissions|cmd12/, 'not the whole file');
    assert.equal(fs.readFileSync(file, 'utf8'), original);
    assert.deepEqual(backups(file), []);
  });

  test('project and local scopes write into the project directory', () => {
    freshDirs();
    assert.equal(call(runInstallHooks, { scope: 'project' }).code, 0);
    assert.equal(call(runInstallHooks, { scope: 'local' }).code, 0);
    assert.equal(inspectHooks(readJson(path.join(project, '.claude', 'settings.json'))).form, 'command');
    assert.equal(
      inspectHooks(readJson(path.join(project, '.claude', 'settings.local.json'))).form,
      'command',
    );
    assert.equal(fs.existsSync(userFile()), false);
  });

  test('--http is refused at project and local scope, and nothing is written', () => {
    freshDirs();
    for (const scope of ['project', 'local']) {
      const result = call(runInstallHooks, { scope, http: true });
      assert.equal(result.code, 1);
      assert.match(result.err, /HOOKS_HTTP_SCOPE/);
      assert.match(result.err, /only installed at user scope/);
      assert.match(result.err, /--scope user/);
    }
    assert.equal(fs.existsSync(path.join(project, '.claude')), false);
  });

  test('--http at user scope names the token variable, never the token', () => {
    freshDirs();
    const stateDir = path.join(root, `state-${counter}`);
    fs.mkdirSync(stateDir);
    fs.writeFileSync(path.join(stateDir, 'token'), 'super-secret-token-value\n');
    const result = call(runInstallHooks, {
      http: true,
      port: 9123,
      env: { PATH: '', MPM_MON_HOME: stateDir },
    });
    assert.equal(result.code, 0, result.err);
    const text = fs.readFileSync(userFile(), 'utf8');
    assert.doesNotMatch(text, /super-secret/);
    const hooks = readJson(userFile()).hooks as Record<string, Array<{ hooks: unknown[] }>>;
    assert.deepEqual(hooks.Stop![0]!.hooks[0], {
      type: 'http',
      url: 'http://127.0.0.1:9123/events?from=claude-code',
      headers: { Authorization: 'Bearer $MPM_MON_TOKEN' },
      allowedEnvVars: ['MPM_MON_TOKEN'],
      timeout: 0.1,
    });
    const secure = call(runInstallHooks, { http: true, port: 9124, scheme: 'https', env: { PATH: '' } });
    assert.equal(secure.code, 0, secure.err);
    const again = readJson(userFile()).hooks as Record<string, Array<{ hooks: Array<{ url?: string }> }>>;
    assert.equal(again.Stop![0]!.hooks[0]!.url, 'https://127.0.0.1:9124/events?from=claude-code');
    // Claude Code never sends these over http: the command form covers them.
    for (const event of ['SessionStart', 'Setup'])
      assert.equal((hooks[event]![0]!.hooks[0] as { type: string }).type, 'command', event);
    assert.match(result.out, /MPM_MON_TOKEN/);
    assert.match(result.out, /cannot spool/);
  });

  test('invalid JSON in the settings file: clear error with position, file untouched, no backup', () => {
    freshDirs();
    fs.mkdirSync(path.dirname(userFile()));
    const broken = '{\n  "model": "opus",\n}\n';
    fs.writeFileSync(userFile(), broken);
    const result = call(runInstallHooks);
    assert.equal(result.code, 1);
    assert.match(result.err, /SETTINGS_INVALID_JSON/);
    assert.match(result.err, /settings\.json is not valid JSON \(line 3, column 1\)/);
    assert.equal(fs.readFileSync(userFile(), 'utf8'), broken);
    assert.deepEqual(backups(userFile()), []);
  });

  test('an unknown scope is refused with the allowed values; --json gives a structured error', () => {
    freshDirs();
    const result = call(runInstallHooks, { scope: 'global', json: true });
    assert.equal(result.code, 1);
    const parsed = JSON.parse(result.out);
    assert.equal(parsed.ok, false);
    assert.equal(parsed.error.code, 'HOOKS_INVALID_SCOPE');
    assert.match(parsed.error.message, /"global".*user, project, local/);
  });

  test('writes through a symlinked settings file instead of replacing the link', () => {
    freshDirs();
    const dotfiles = path.join(home, 'dotfiles');
    fs.mkdirSync(dotfiles);
    fs.mkdirSync(path.dirname(userFile()));
    fs.writeFileSync(path.join(dotfiles, 'claude-settings.json'), '{}\n');
    fs.symlinkSync(path.join(dotfiles, 'claude-settings.json'), userFile());
    assert.equal(call(runInstallHooks).code, 0);
    assert.ok(fs.lstatSync(userFile()).isSymbolicLink());
    assert.equal(inspectHooks(readJson(path.join(dotfiles, 'claude-settings.json'))).form, 'command');
  });

  test('--json reports each event change', () => {
    freshDirs();
    const result = call(runInstallHooks, { json: true });
    const parsed = JSON.parse(result.out);
    assert.equal(parsed.ok, true);
    assert.equal(parsed.changes.length, HOOK_EVENT_NAMES.length);
    assert.ok(parsed.changes.every((change: { change: string }) => change.change === 'added'));
    assert.equal(parsed.path, userFile());
  });
});

describe('uninstall-hooks', () => {
  test('removes only ours and restores the file to what it was', () => {
    freshDirs();
    fs.mkdirSync(path.dirname(userFile()));
    const original = {
      model: 'opus',
      hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'guard' }] }] },
    };
    fs.writeFileSync(userFile(), `${JSON.stringify(original, null, 2)}\n`);
    call(runInstallHooks);
    call(runInstallHooks, { http: true });
    const result = call(runUninstallHooks);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /removed from/);
    assert.deepEqual(readJson(userFile()), original);
    const again = call(runUninstallHooks);
    assert.match(again.out, /nothing to change/);
  });

  test('gives back the original bytes (indentation, key order) and keeps one backup across runs', () => {
    freshDirs();
    fs.mkdirSync(path.dirname(userFile()));
    const original = `{\n\t"model": "opus",   "hooks": {}\n}\n`;
    fs.writeFileSync(userFile(), original);
    for (let run = 0; run < 3; run += 1) {
      assert.equal(call(runInstallHooks).code, 0);
      assert.equal(backups(userFile()).length, 1, `run ${run}: ${backups(userFile()).join(', ')}`);
      assert.equal(call(runUninstallHooks).code, 0);
      assert.equal(fs.readFileSync(userFile(), 'utf8'), original, `run ${run}`);
    }
    assert.deepEqual(backups(userFile()), [], 'the backup goes once the original is back');
  });

  test('a settings file that did not exist before install is removed again', () => {
    freshDirs();
    assert.equal(call(runInstallHooks).code, 0);
    assert.ok(fs.existsSync(userFile()));
    assert.equal(call(runUninstallHooks).code, 0);
    assert.equal(fs.existsSync(userFile()), false);
    assert.deepEqual(backups(userFile()), []);
  });

  test('on a missing file does nothing and creates nothing', () => {
    freshDirs();
    const result = call(runUninstallHooks, { scope: 'local' });
    assert.equal(result.code, 0);
    assert.equal(fs.existsSync(path.join(project, '.claude')), false);
  });
});

describe('readHookStatus (for doctor)', () => {
  test('missing file, installed hooks, and a broken file', () => {
    freshDirs();
    const location = { home, cwd: project, env: { PATH: '' } };
    const missing = readHookStatus('user', location);
    assert.equal(missing.exists, false);
    assert.ok('inspection' in missing && missing.inspection.installed.length === 0);

    call(runInstallHooks);
    const installed = readHookStatus('user', location);
    assert.ok('inspection' in installed);
    assert.deepEqual(installed.inspection.missing, []);
    assert.equal(installed.inspection.form, 'command');

    fs.writeFileSync(userFile(), '{"hooks": ');
    const broken = readHookStatus('user', location);
    assert.ok('error' in broken);
    assert.equal(broken.error.code, 'SETTINGS_INVALID_JSON');
  });
});

describe('settings location and hook command', () => {
  test('user scope honours CLAUDE_CONFIG_DIR; project/local use the given directory', () => {
    assert.equal(settingsPath('user', { home: '/h', env: {} }), path.join('/h', '.claude', 'settings.json'));
    assert.equal(
      settingsPath('user', { env: { CLAUDE_CONFIG_DIR: '/c' } }),
      path.join('/c', 'settings.json'),
    );
    assert.equal(
      settingsPath('local', { cwd: '/p', env: {} }),
      path.join('/p', '.claude', 'settings.local.json'),
    );
  });

  test("registers `mpm-mon hook` when mpm-mon is on PATH, else node with this installation's cli.js", () => {
    freshDirs();
    const bin = path.join(root, `bin-${counter}`);
    fs.mkdirSync(bin);
    assert.equal(
      detectHookCommand({ PATH: bin }, '/x/dist/cli.js'),
      `"${process.execPath}" "/x/dist/cli.js" hook`,
    );
    fs.writeFileSync(path.join(bin, 'mpm-mon'), '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(detectHookCommand({ PATH: bin }, '/x/dist/cli.js'), 'mpm-mon hook');
    assert.equal(detectHookCommand({ PATH: '' }, null), 'mpm-mon hook');
  });
});
