/**
 * The access token: 32 random bytes as hex, one line in `$MPM_MON_HOME/token`, mode 0600, created once
 * and kept across restarts so that running clients and hooks keep working.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { StateDirError, errnoOf } from '../errors/daemon-errors.js';
import { silentLogger, type Logger } from './logger-types.js';
import { readSmallFile, TOKEN_FILE_MAX_BYTES } from './safe-file.js';

const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

export function isWellFormedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** The token in `path`, or null when there is none or it is not a token. Sync and cheap: the hook calls it. */
export function readToken(path: string): string | null {
  const read = readSmallFile(path, TOKEN_FILE_MAX_BYTES);
  if (read.kind !== 'text') return null;
  const value = read.text.trim();
  return isWellFormedToken(value) ? value : null;
}

/**
 * Constant-time comparison of the expected token with what a client presented. A different length,
 * a non-string or an empty expected token is simply unequal, and the time taken does not say which.
 */
export function tokensEqual(expected: string, presented: unknown): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const presentedBytes = Buffer.from(typeof presented === 'string' ? presented : '', 'utf8');
  if (expectedBytes.length === 0) return false;
  if (presentedBytes.length !== expectedBytes.length) {
    timingSafeEqual(expectedBytes, expectedBytes);
    return false;
  }
  return timingSafeEqual(expectedBytes, presentedBytes);
}

function tempPath(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

function stateError(path: string, operation: string, error: unknown): StateDirError {
  return new StateDirError({ path, operation, errno: errnoOf(error), cause: error });
}

/** Writes a complete file with mode 0600 and links it into place; false if `path` already exists. */
function createExclusive(path: string, text: string): boolean {
  const temp = tempPath(path);
  try {
    fs.writeFileSync(temp, text, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    throw stateError(dirname(path), 'write a file in', error);
  }
  try {
    fs.linkSync(temp, path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    try {
      fs.writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
      return true;
    } catch (inner) {
      if (errnoOf(inner) === 'EEXIST') return false;
      throw stateError(path, 'create', inner);
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function replace(path: string, text: string): void {
  const temp = tempPath(path);
  try {
    fs.writeFileSync(temp, text, { flag: 'wx', mode: 0o600 });
    fs.renameSync(temp, path);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw stateError(path, 'rewrite', error);
  }
}

/** Tightens the file to 0600 when group or others may read it (POSIX only; Windows uses ACLs). */
function tightenPermissions(path: string, logger: Logger): void {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = fs.lstatSync(path).mode & 0o777;
  } catch (error) {
    throw stateError(path, 'stat', error);
  }
  if ((mode & 0o077) === 0) return;
  try {
    fs.chmodSync(path, 0o600);
  } catch (error) {
    throw stateError(path, 'restrict the permissions of', error);
  }
  logger.warn('token file was readable by others; restricted it to its owner', {
    path,
    was: `0${mode.toString(8)}`,
    now: '0600',
  });
}

/**
 * The token in `path`, created on first use. Two processes calling this at once get the same token.
 * A file that does not hold a token (empty, damaged) is replaced, and that is logged.
 */
export function ensureToken(path: string, logger: Logger = silentLogger): Promise<string> {
  try {
    fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    return Promise.reject(stateError(dirname(path), 'create', error));
  }
  try {
    const fresh = generateToken();
    if (createExclusive(path, `${fresh}\n`)) {
      logger.info('created a new access token', { path });
      return Promise.resolve(fresh);
    }
    tightenPermissions(path, logger);
    const existing = readToken(path);
    if (existing !== null) return Promise.resolve(existing);
    replace(path, `${fresh}\n`);
    logger.warn('token file did not hold a token; wrote a new one (clients must reconnect)', { path });
    return Promise.resolve(fresh);
  } catch (error) {
    return Promise.reject(error instanceof StateDirError ? error : stateError(path, 'read', error));
  }
}
