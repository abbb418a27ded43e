/** MPM_MON_HOME exists (or can be created), is a writable folder, and its volume has room. */
import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { THRESHOLD_DEFAULTS } from '../../config/schema.js';
import { HomeNotWritableError } from '../../errors/home-error.js';
import { HealthThresholdError } from '../../errors/threshold-error.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome } from '../types.js';

async function nearestExisting(path: string): Promise<string> {
  let dir = path;
  for (;;) {
    try {
      await stat(dir);
      return dir;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return dir;
      dir = parent;
    }
  }
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Free megabytes for an unprivileged user on the volume holding `path`, or null if unknown. */
export async function freeMegabytes(path: string): Promise<number | null> {
  try {
    const info = await statfs(path);
    return Math.floor((info.bavail * info.bsize) / (1024 * 1024));
  } catch {
    return null;
  }
}

export async function checkHome(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'home', label: 'home folder', topic: 'home' as const };
  const home = ctx.paths.home;
  const cfg = await ctx.config();
  const threshold = cfg.ok ? cfg.resolved.config.health.thresholds.diskFreeMb : THRESHOLD_DEFAULTS.diskFreeMb;
  let info;
  try {
    info = await stat(home);
  } catch {
    const existing = await nearestExisting(home);
    if (await writable(existing))
      return {
        ...base,
        status: 'pass',
        message: `${home} does not exist yet; the daemon creates it at its first start`,
        details: { home, exists: false },
      };
    const error = new HomeNotWritableError({
      home,
      problem: 'missing',
      detail: `${existing} is not writable`,
    });
    return { ...base, status: 'fail', message: error.message, fix: error.steps[0], error, details: { home } };
  }
  if (!info.isDirectory()) {
    const error = new HomeNotWritableError({ home, problem: 'not-a-directory' });
    return { ...base, status: 'fail', message: error.message, fix: error.steps[0], error, details: { home } };
  }
  if (!(await writable(home))) {
    const error = new HomeNotWritableError({ home, problem: 'not-writable' });
    return { ...base, status: 'fail', message: error.message, fix: error.steps[0], error, details: { home } };
  }
  const freeMb = await freeMegabytes(home);
  const details = { home, exists: true, freeMb, threshold };
  if (freeMb !== null && freeMb < threshold.warn) {
    const status = freeMb < threshold.fail ? 'fail' : 'warn';
    const error = new HealthThresholdError({
      check: 'diskFreeMb',
      status,
      value: freeMb,
      unit: 'MB',
      threshold,
      home,
    });
    return {
      ...base,
      status,
      message: `${home}: only ${freeMb} MB free (warn below ${threshold.warn} MB, fail below ${threshold.fail} MB)`,
      fix: 'free space on that volume, or lower journal.maxBytes',
      error,
      details,
    };
  }
  return {
    ...base,
    status: 'pass',
    message: `${home} is writable${freeMb === null ? '' : `, ${freeMb} MB free`}`,
    details,
  };
}
