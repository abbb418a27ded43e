/**
 * Who may talk to whom starts with the files: MPM_MON_HOME is the user's alone. At start-up the daemon
 * refuses a home (or a file in it) owned by another user, and a symbolic link where a file of its own
 * belongs; it tightens the home to 0700 and its files to 0600, with one log line saying what it changed.
 * POSIX only: Windows protects the folder with its ACLs.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { HomeNotWritableError } from '../errors/home-error.js';
import type { Logger } from './logger-types.js';

/** Folders of the home whose entries the daemon opens. */
const SUBFOLDERS = ['', 'journal', 'logs', 'spool'];

export interface SecureHomeResult {
  tightened: string[];
}

export function secureHome(home: string, logger: Logger, uid = process.getuid?.()): SecureHomeResult {
  const tightened: string[] = [];
  if (process.platform === 'win32' || uid === undefined) return { tightened };
  const refuse = (problem: 'not-owned' | 'symlink', detail: string): never => {
    throw new HomeNotWritableError({ home, problem, detail });
  };
  const inspect = (path: string, mode: number): void => {
    const stat = fs.lstatSync(path);
    if (stat.isSymbolicLink()) refuse('symlink', path);
    if (stat.uid !== uid)
      refuse('not-owned', `${path} belongs to uid ${stat.uid}, this process runs as uid ${uid}`);
    if (!stat.isFile() && !stat.isDirectory()) return;
    if ((stat.mode & 0o077) === 0) return;
    fs.chmodSync(path, mode);
    tightened.push(`${path} 0${(stat.mode & 0o777).toString(8)} → 0${mode.toString(8)}`);
  };
  for (const folder of SUBFOLDERS) {
    const dir = join(home, folder);
    if (!fs.existsSync(dir)) continue;
    inspect(dir, 0o700);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (folder === '' && SUBFOLDERS.includes(entry.name)) continue;
      inspect(path, entry.isDirectory() ? 0o700 : 0o600);
    }
  }
  if (tightened.length > 0)
    logger.warn('MPM_MON_HOME was open to other users; restricted it to its owner', {
      home,
      changed: tightened.length,
      first: tightened.slice(0, 5).join('; '),
    });
  return { tightened };
}
