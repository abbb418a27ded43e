/**
 * Reading and securing the files of MPM_MON_HOME. Nothing is opened through a symbolic link
 * (O_NOFOLLOW), only regular files are read (fstat after open, so no race between check and use),
 * a file larger than its limit is not read at all, and an open never blocks (O_NONBLOCK: a FIFO put
 * where the PID file or the token belongs cannot stall `mpm-mon hook`). Cheap: the hook uses it.
 */
// Named imports: a namespace import becomes a copy of every fs export in the hook's CommonJS bundle.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

const { O_RDONLY, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = constants;

export type SmallFileRead =
  { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'error'; message: string };

export interface SmallFileOptions {
  /**
   * A secret (a password, a private key): it must also belong to this user and be readable by no one
   * else (no group or other permission bits), or it is not read.
   */
  secret?: boolean;
  /**
   * Follow a symbolic link to the file (a public file such as a CA certificate, which systems keep as
   * links); never for a secret.
   */
  followLinks?: boolean;
}

/** The text of a small regular file of ours, or why not. Sync and never blocking. */
export function readSmallFile(path: string, maxBytes: number, options: SmallFileOptions = {}): SmallFileRead {
  const follow = options.followLinks === true && options.secret !== true;
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | (follow ? 0 : O_NOFOLLOW) | O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP')
      return { kind: 'error', message: `${path} is a symbolic link; it is never followed` };
    if (code === 'ENOTDIR')
      return { kind: 'error', message: `a folder on the path ${path} is a file, not a folder` };
    return { kind: 'error', message: (error as Error).message };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { kind: 'error', message: `${path} is not a regular file` };
    const unsafe = options.secret ? secretFileProblem(path, stat) : null;
    if (unsafe) return { kind: 'error', message: unsafe };
    if (stat.size > maxBytes)
      return {
        kind: 'error',
        message: `${path} is ${stat.size} bytes, more than the ${maxBytes} it may hold`,
      };
    const buffer = Buffer.alloc(stat.size);
    const read = stat.size === 0 ? 0 : readSync(fd, buffer, 0, stat.size, 0);
    return { kind: 'text', text: buffer.toString('utf8', 0, read) };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

/** Why a secret file may not be trusted (another owner, readable by others), or null. POSIX only. */
function secretFileProblem(path: string, stat: Stats): string | null {
  if (process.platform === 'win32') return null;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    return `${path} belongs to uid ${stat.uid}, not to this user (uid ${uid}); a secret is read only from a file of yours`;
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0)
    return `${path} has mode 0${mode.toString(8)}, so others may read it; restrict it with chmod 600 "${path}"`;
  return null;
}

/** Largest PID file and token file read (a PID file is a few hundred bytes, a token 65). */
export const PID_FILE_MAX_BYTES = 64 * 1024;
export const TOKEN_FILE_MAX_BYTES = 1024;
