import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ensureToken, generateToken, readToken, tokensEqual } from '../../source/instance/token.js';
import { StateDirError } from '../../source/errors/daemon-errors.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { Children, collectStdout } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';

const posix = process.platform !== 'win32';
let dir: ReturnType<typeof tempDir>;
let tokenFile: string;
beforeEach(() => {
  dir = tempDir();
  tokenFile = join(dir.path, 'home', 'token');
});
afterEach(() => dir.remove());

const modeOf = (path: string) => fs.statSync(path).mode & 0o777;

describe('ensureToken', () => {
  test('creates 32 random bytes as hex, one line, mode 0600, in a folder it creates', async () => {
    const token = await ensureToken(tokenFile);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(fs.readFileSync(tokenFile, 'utf8'), `${token}\n`);
    if (posix) assert.equal(modeOf(tokenFile), 0o600);
    assert.deepEqual(fs.readdirSync(join(dir.path, 'home')), ['token'], 'no temp file left behind');
  });

  test('keeps the token across restarts', async () => {
    const first = await ensureToken(tokenFile);
    assert.equal(await ensureToken(tokenFile), first);
    assert.equal(readToken(tokenFile), first);
  });

  test('processes starting at once all get the one token that was written', async () => {
    const children = new Children();
    try {
      const goFile = join(dir.path, 'go');
      const script = join(import.meta.dirname, 'fixtures', 'token-child.ts');
      const outputs = Array.from({ length: 4 }, () =>
        collectStdout(children.spawn(process.execPath, ['--import', 'tsx', script, tokenFile, goFile])),
      );
      await waitFor(() => outputs.every((output) => output().includes('ready')), 'children ready', 30_000);
      fs.writeFileSync(goFile, '');
      const tokens = await waitFor(
        () => {
          const found = outputs.map((output) => /token ([0-9a-f]+)/.exec(output())?.[1]);
          return found.every(Boolean) ? found : null;
        },
        'every child to print its token',
        30_000,
      );
      assert.deepEqual(new Set(tokens), new Set([readToken(tokenFile)]));
    } finally {
      children.killAll();
    }
  });

  test(
    'tightens a token file others can read, and logs it',
    { skip: posix ? false : 'POSIX modes' },
    async () => {
      const token = generateToken();
      fs.mkdirSync(join(dir.path, 'home'));
      fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o644 });
      fs.chmodSync(tokenFile, 0o644);
      const logger = recordingLogger();
      assert.equal(await ensureToken(tokenFile, logger), token);
      assert.equal(modeOf(tokenFile), 0o600);
      const line = logger.entries.find((entry) => entry.level === 'warn');
      assert.ok(line, 'the tightening is logged');
      assert.equal(line.fields.was, '0644');
      assert.ok(!JSON.stringify(logger.entries).includes(token), 'the token itself is not logged');
    },
  );

  test('replaces a file that holds no token, and logs it', async () => {
    for (const damaged of ['', 'short', 'Z'.repeat(64)]) {
      fs.mkdirSync(join(dir.path, 'home'), { recursive: true });
      fs.writeFileSync(tokenFile, damaged, { mode: 0o600 });
      const logger = recordingLogger();
      const token = await ensureToken(tokenFile, logger);
      assert.match(token, /^[0-9a-f]{64}$/);
      assert.equal(readToken(tokenFile), token);
      assert.ok(logger.entries.some((entry) => entry.level === 'warn'));
    }
  });

  test('a home that cannot be created is a StateDirError', async () => {
    const blocker = join(dir.path, 'file');
    fs.writeFileSync(blocker, '');
    await assert.rejects(ensureToken(join(blocker, 'token')), StateDirError);
  });
});

describe('readToken', () => {
  test('is null when there is no file or it holds no token', () => {
    assert.equal(readToken(tokenFile), null);
    fs.mkdirSync(join(dir.path, 'home'));
    fs.writeFileSync(tokenFile, 'not a token\n');
    assert.equal(readToken(tokenFile), null);
  });

  test('trims the line end (a file edited by hand on Windows too)', () => {
    const token = generateToken();
    fs.mkdirSync(join(dir.path, 'home'));
    fs.writeFileSync(tokenFile, `${token}\r\n`);
    assert.equal(readToken(tokenFile), token);
  });
});

describe('tokensEqual', () => {
  const token = generateToken();

  test('equal tokens match', () => {
    assert.equal(tokensEqual(token, `${token}`), true);
  });

  test('a different token, a prefix, a longer string or a non-string does not', () => {
    const other = generateToken();
    for (const presented of [other, token.slice(0, 63), `${token}0`, '', undefined, null, 42, { token }])
      assert.equal(tokensEqual(token, presented), false, JSON.stringify(presented) ?? 'undefined');
  });

  test('an empty expected token matches nothing, not even an empty one', () => {
    assert.equal(tokensEqual('', ''), false);
  });

  test('different lengths are refused without an exception (timingSafeEqual would throw)', () => {
    assert.doesNotThrow(() => tokensEqual(token, 'x'));
  });
});
