/** The access token is there (once a daemon has run) and readable by its owner only. */
import { chmod, readFile, stat } from 'node:fs/promises';
import { isWellFormedToken } from '../../instance/token.js';
import { AuthError } from '../../errors/connection-errors.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome } from '../types.js';

export async function checkToken(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'token', label: 'access token', topic: 'auth' as const };
  const file = ctx.paths.tokenFile;
  const pid = await ctx.pidFile();
  const daemonLive = pid.ok && pid.inspection.state === 'live';
  let info;
  try {
    info = await stat(file);
  } catch {
    if (!daemonLive)
      return {
        ...base,
        status: 'pass',
        message: 'no token yet; the daemon creates it when it first starts',
        details: { file, exists: false },
      };
    const error = new AuthError({ problem: 'token-missing', tokenFile: file });
    return { ...base, status: 'fail', message: error.message, fix: error.steps[0], error, details: { file } };
  }
  const mode = info.mode & 0o777;
  const shownMode = `0${mode.toString(8)}`;
  const details = { file, mode: shownMode };
  let text = '';
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch {
    text = '';
  }
  if (ctx.nodePlatform !== 'win32' && (mode & 0o077) !== 0) {
    const error = new AuthError({ problem: 'token-permissions', tokenFile: file, mode });
    return {
      ...base,
      status: 'fail',
      message: `${file} has mode ${shownMode}: other users can read it (must be 0600)`,
      fix: 'mpm-mon doctor --fix (chmod 600), then restart the daemon to rotate the token',
      error,
      details,
      repair: {
        description: `restrict ${file} to its owner (mode ${shownMode} -> 0600)`,
        gate: 'fix',
        run: async () => {
          await chmod(file, 0o600);
          return `${file} is now mode 0600`;
        },
      },
    };
  }
  if (!isWellFormedToken(text)) {
    const error = new AuthError({ problem: 'token-missing', tokenFile: file });
    return {
      ...base,
      status: daemonLive ? 'fail' : 'warn',
      message: `${file} does not hold a token (empty or damaged)`,
      fix: daemonLive ? 'restart the daemon: mpm-mon restart' : 'the daemon replaces it when it starts',
      error,
      details,
    };
  }
  return {
    ...base,
    status: 'pass',
    message: ctx.nodePlatform === 'win32' ? `present (${file})` : `present, mode ${shownMode}`,
    details,
  };
}
