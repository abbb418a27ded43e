/** Node.js version, and which mpm-mon this is and where it is installed. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnsupportedNodeError } from '../../errors/environment-error.js';
import { VERSION } from '../../protocol/version.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome } from '../types.js';

export const REQUIRED_NODE_MAJOR = 20;

export function checkNodeVersion(ctx: Pick<DoctorContext, 'nodeVersion'>): Promise<CheckOutcome> {
  const base = { name: 'node', label: 'Node.js', topic: 'node' as const };
  const major = Number(/^v?(\d+)/.exec(ctx.nodeVersion)?.[1] ?? NaN);
  if (Number.isInteger(major) && major >= REQUIRED_NODE_MAJOR)
    return Promise.resolve({
      ...base,
      status: 'pass',
      message: `${ctx.nodeVersion} (needs ${REQUIRED_NODE_MAJOR} or newer)`,
      details: { version: ctx.nodeVersion, execPath: process.execPath },
    });
  const error = new UnsupportedNodeError({
    found: ctx.nodeVersion,
    requiredMajor: REQUIRED_NODE_MAJOR,
    execPath: process.execPath,
  });
  return Promise.resolve({
    ...base,
    status: 'fail',
    message: error.message,
    fix: `install Node.js ${REQUIRED_NODE_MAJOR} or newer and reinstall mpm-mon with it`,
    error,
  });
}

/** The folder holding mpm-mon's package.json, found by walking up from this module. */
export function findPackageRoot(from: string = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const name = (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }).name;
        if (name === 'mpm-mon') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function checkInstall(): Promise<CheckOutcome> {
  const base = { name: 'install', label: 'mpm-mon install', topic: 'install' as const };
  const root = findPackageRoot();
  let packageVersion: string | null = null;
  if (root) {
    try {
      const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown })
        .version;
      packageVersion = typeof version === 'string' ? version : null;
    } catch {
      packageVersion = null;
    }
  }
  const details = { version: VERSION, packageVersion, installPath: root };
  if (packageVersion !== null && packageVersion !== VERSION)
    return Promise.resolve({
      ...base,
      status: 'warn',
      message: `the code says ${VERSION} but package.json says ${packageVersion} (a partial upgrade?)`,
      fix: 'reinstall mpm-mon: npm install -g mpm-mon',
      details,
    });
  return Promise.resolve({
    ...base,
    status: 'pass',
    message: `mpm-mon ${VERSION}${root ? ` at ${root}` : ''}`,
    details,
  });
}
