/** A home that cannot be one is said plainly by every command (the real binary), never as a bug. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/daemon.js';
import { makeHome } from '../helpers/temp-home.js';

const home = makeHome();
after(() => home.remove());
const file = join(home.path, 'not-a-folder');
writeFileSync(file, 'x');

test('MPM_MON_HOME that is a file: start, events and status each say the home is a file', () => {
  const started = runCli(home, ['start'], undefined, { MPM_MON_HOME: file });
  assert.equal(started.code, 1);
  assert.match(
    started.stderr,
    /error \[HOME_NOT_WRITABLE\]: mpm-mon's home .*not-a-folder is a file, not a folder/,
  );
  const events = runCli(home, ['events'], undefined, { MPM_MON_HOME: file });
  assert.equal(events.code, 1);
  assert.match(
    events.stderr,
    /error \[HOME_NOT_WRITABLE\]: mpm-mon's home .*not-a-folder is a file, not a folder/,
  );
  const status = runCli(home, ['status'], undefined, { MPM_MON_HOME: file });
  assert.equal(status.code, 3);
  assert.match(
    status.stdout,
    /not running \(the PID file cannot be read: a folder on the path .*not-a-folder.daemon\.pid is a file, not a folder\)/,
  );
  assert.doesNotMatch(status.stdout, /empty/);
  for (const output of [started.stderr, events.stderr, status.stdout])
    assert.doesNotMatch(output, /UNEXPECTED|probably a bug/);
});
