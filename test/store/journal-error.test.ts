import { diskSpaceCommands, showPermissionsCommands } from '../../source/errors/platform-commands.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MpmError, renderError } from '../../source/errors/base.js';
import { errorCodeOf } from '../../source/errors/base.js';
import { JournalError, isJournalError } from '../../source/errors/journal-error.js';

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('JournalError', () => {
  test('disk full for ENOSPC and EDQUOT, with free bytes and commands per platform', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const error = JournalError.writeFailed({
        dir: '/var/mpm/journal',
        path: '/var/mpm/journal/00000000000000000001.ndjson',
        freeBytes: 0,
        cause: systemError(code),
      });
      assert.ok(error instanceof MpmError);
      assert.ok(isJournalError(error));
      assert.equal(error.code, 'JOURNAL_DISK_FULL');
      assert.equal(error.context.errno, code);
      assert.equal(error.context.freeBytes, 0);
      assert.match(error.message, /full \(0 bytes free\)/);
      assert.ok(error.steps.some((step) => step.includes('MPM_MON_JOURNAL_MAX_BYTES')));
      assert.deepEqual(error.commandsFor('linux'), [
        'mpm-mon doctor',
        ...diskSpaceCommands('linux', '/var/mpm/journal'),
        ...showPermissionsCommands('linux', '/var/mpm/journal'),
      ]);
      assert.deepEqual(error.commandsFor('darwin').slice(1, 2), ['df -h /var/mpm/journal']);
    }
  });

  test('unwritable for permission, read-only and anything unknown', () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'EIO']) {
      const error = JournalError.writeFailed({ dir: '/j', cause: systemError(code) });
      assert.equal(error.code, 'JOURNAL_UNWRITABLE', code);
      assert.equal(error.context.errno, code);
      assert.match(error.message, new RegExp(`cannot write the event journal at /j \\(${code}\\)`));
      assert.ok(error.cause instanceof Error);
    }
  });

  test('windows commands quote the directory', () => {
    const error = JournalError.writeFailed({
      dir: 'D:\\Users\\me\\mpm mon\\journal',
      cause: systemError('ENOSPC'),
    });
    assert.ok(error.commandsFor('win32').includes('icacls "D:\\Users\\me\\mpm mon\\journal"'));
  });

  test('a directory with spaces or quotes stays one shell word', () => {
    const error = JournalError.writeFailed({ dir: "/home/o'neil/mpm state", cause: systemError('EACCES') });
    assert.ok(error.commandsFor('linux').includes(`df -h '/home/o'\\''neil/mpm state'`));
  });

  test('renders with facts, steps and commands; serializes to JSON', () => {
    const error = JournalError.corrupt({ dir: '/j', path: '/j/a.ndjson', line: 7, corruptLines: 3 });
    assert.equal(error.code, 'JOURNAL_CORRUPT');
    assert.match(error.message, /3 journal lines were unreadable in \/j\/a\.ndjson at line 7/);
    const text = renderError(error, 'linux');
    assert.match(text, /^error \[JOURNAL_CORRUPT\]/);
    assert.match(text, /To resolve:/);
    assert.match(text, /\$ df -h \/j/);
    assert.ok(!text.includes('freeBytes'), 'unknown facts are left out');
    const json = JSON.parse(JSON.stringify(error)) as { code: string; commands: { win32: string[] } };
    assert.equal(json.code, 'JOURNAL_CORRUPT');
    assert.ok(json.commands.win32.includes('icacls /j'));
  });

  test('closed and unreadable have their own codes', () => {
    assert.equal(JournalError.closed('/j').code, 'JOURNAL_CLOSED');
    const unreadable = JournalError.readFailed({ dir: '/j', path: '/j/x', cause: systemError('EACCES') });
    assert.equal(unreadable.code, 'JOURNAL_UNREADABLE');
    assert.match(unreadable.message, /cannot read the event journal at \/j\/x \(EACCES\)/);
  });

  test('errorCodeOf reads the code of system errors only', () => {
    assert.equal(errorCodeOf(systemError('ENOENT')), 'ENOENT');
    assert.equal(errorCodeOf(new Error('plain')), undefined);
    assert.equal(errorCodeOf({ code: 5 }), undefined);
    assert.equal(errorCodeOf(null), undefined);
  });
});
