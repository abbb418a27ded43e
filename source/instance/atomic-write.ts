/**
 * The one way a file of MPM_MON_HOME is written whole: a temp file beside it, mode 0600, created
 * exclusively (O_CREAT|O_EXCL never follows a link), fsynced, then renamed over the target (readers
 * see the old file or the new one, never half) or hard-linked into place when the target must not
 * exist yet (EEXIST says someone else holds it). Errors are thrown as the caller's StateDirError.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { StateDirError, errnoOf } from '../errors/daemon-errors.js';

const MODE = 0o600;

function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

function writeTemp(path: string, text: string): string {
  const temp = tempPathFor(path);
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, MODE);
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new StateDirError({
      path: dirname(path),
      operation: 'write a file in',
      errno: errnoOf(error),
      cause: error,
    });
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
  return temp;
}

/** Replaces `path` with `text` atomically. */
export function writeFileAtomic(path: string, text: string): void {
  const temp = writeTemp(path, text);
  try {
    fs.renameSync(temp, path);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new StateDirError({ path, operation: 'rewrite', errno: errnoOf(error), cause: error });
  }
}

/** Creates `path` with `text` only if it does not exist; false on EEXIST. */
export function createFileExclusive(path: string, text: string): boolean {
  const temp = writeTemp(path, text);
  try {
    fs.linkSync(temp, path);
    return true;
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') return false;
    // File systems without hard links: an exclusive create still arbitrates, with a tiny window in
    // which a reader could see the file empty.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EXDEV') {
      try {
        fs.writeFileSync(path, text, { flag: 'wx', mode: MODE });
        return true;
      } catch (inner) {
        if (errnoOf(inner) === 'EEXIST') return false;
        throw new StateDirError({ path, operation: 'create', errno: errnoOf(inner), cause: inner });
      }
    }
    throw new StateDirError({ path, operation: 'create', errno: code, cause: error });
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
