import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { describe, test } from 'node:test';
import { localizeCommand } from '../../source/errors/localize.js';
import { buildReport } from '../../source/errors/report.js';
import { DaemonUnreachableError } from '../../source/errors/connection-errors.js';
import { invocation } from '../../source/instance/invocation.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';

const root = dirsRemovedAfter('mpm-mon-invocation-')();

function install(name: string): string {
  const dist = join(root, name, 'dist');
  mkdirSync(dist, { recursive: true });
  const cli = join(dist, 'cli.js');
  writeFileSync(cli, '#!/usr/bin/env node\n');
  chmodSync(cli, 0o755);
  return cli;
}

describe('how to run mpm-mon here', () => {
  test('`mpm-mon` when the one on PATH is this installation', () => {
    const cli = install('linked');
    const bin = join(root, 'bin-linked');
    mkdirSync(bin);
    symlinkSync(cli, join(bin, 'mpm-mon'));
    assert.deepEqual(invocation({ PATH: bin }, cli), { command: 'mpm-mon', onPath: true, putOnPath: null });
  });

  test('not on PATH (or another install there): the real path, and a one-line way to put it on PATH', () => {
    const cli = install('checkout');
    const other = install('other');
    const bin = join(root, 'bin-other');
    mkdirSync(bin);
    symlinkSync(other, join(bin, 'mpm-mon'));
    for (const PATH of ['', bin]) {
      assert.deepEqual(invocation({ PATH }, cli), {
        command: `node ${cli}`,
        onPath: false,
        putOnPath: `npm install -g ${join(root, 'checkout')}`,
      });
    }
  });

  test("from npx's cache: `npx mpm-mon`", () => {
    const cli = install(join('_npx', 'abc123', 'node_modules', 'mpm-mon'));
    assert.equal(invocation({ PATH: '' }, cli).command, 'npx mpm-mon');
  });

  test('every hint is said that way: commands and steps of the report', () => {
    assert.equal(localizeCommand('mpm-mon start', 'npx mpm-mon'), 'npx mpm-mon start');
    assert.equal(
      localizeCommand('Run `mpm-mon doctor` (mpm-mon-ish names stay)', 'node /x/cli.js'),
      'Run `node /x/cli.js doctor` (mpm-mon-ish names stay)',
    );
    assert.equal(localizeCommand('kill the mpm-mon daemon', 'npx mpm-mon'), 'kill the mpm-mon daemon');
    const report = buildReport({
      platform: 'linux',
      errors: [new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 8765 })],
      invoke: 'npx mpm-mon',
    });
    const commands = report.items.flatMap((item) => item.commands);
    assert.ok(commands.includes('npx mpm-mon start'), commands.join(' | '));
    assert.ok(!commands.some((command) => /^mpm-mon /.test(command)), commands.join(' | '));
  });
});
