/**
 * Where the daemon keeps its state: the journal can be written (the store's own flag and a tiny write
 * test in MPM_MON_HOME), free disk space there, corrupt journal lines found at recovery, spool backlog.
 */
import { randomBytes } from 'node:crypto';
import { open, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from '../../protocol/health.js';
import type { Config } from '../../config/schema.js';
import type { DaemonFacts, HealthCheck } from '../types.js';
import { isoNow, judged } from './result.js';

const MIB = 1024 * 1024;

/** Writes, syncs and removes a small file in `dir`; resolves with the error code on failure, null on success. */
export async function writeTest(dir: string): Promise<string | null> {
  const path = join(dir, `.health-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile('ok\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

/** Free space for an unprivileged user at `dir`, in MiB. */
export async function freeMb(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return (stats.bavail * stats.bsize) / MIB;
}

export interface JournalCheckOptions {
  facts: Pick<DaemonFacts, 'homeDir' | 'storeStats' | 'spoolStats'>;
  thresholds: Config['health']['thresholds'];
  now?: () => number;
}

export function createJournalCheck(options: JournalCheckOptions): HealthCheck {
  const now = options.now ?? Date.now;
  const { facts, thresholds } = options;
  return {
    name: 'journal',
    async run(): Promise<CheckResult[]> {
      const stats = facts.storeStats();
      const [writeError, free, spool] = await Promise.all([
        writeTest(facts.homeDir),
        freeMb(facts.homeDir).catch((error: NodeJS.ErrnoException) => error.code ?? String(error)),
        facts.spoolStats(),
      ]);
      const time = isoNow(now);
      const writable = stats.writable && writeError === null;
      const why = [
        stats.writable
          ? null
          : `the last journal write failed (${stats.writeErrors} write errors since start)`,
        writeError === null ? null : `a test write in the state directory failed: ${writeError}`,
      ].filter((part): part is string => part !== null);
      return [
        judged(
          {
            name: 'journal:writable',
            value: stats.writeErrors,
            unit: 'write errors',
            status: writable ? 'pass' : 'fail',
            output: writable
              ? `journal writable: ${stats.segments} segments, ${stats.bytes} bytes, seq ${stats.firstSeq}..${stats.lastSeq}`
              : why.join('; '),
          },
          time,
        ),
        typeof free === 'number'
          ? judged(
              {
                name: 'disk:free',
                value: free,
                unit: 'MiB',
                threshold: thresholds.diskFreeMb,
                lowerIsWorse: true,
                output: `${free.toFixed(0)} MiB free where the state directory is`,
              },
              time,
            )
          : judged(
              {
                name: 'disk:free',
                value: null,
                unit: 'MiB',
                threshold: thresholds.diskFreeMb,
                status: 'warn',
                output: `free space unknown: statfs failed (${free})`,
              },
              time,
            ),
        judged(
          {
            name: 'journal:corruptLines',
            value: stats.corruptLines,
            unit: 'lines',
            threshold: thresholds.corruptLines,
            output:
              stats.corruptLines === 0
                ? 'no corrupt journal lines'
                : `${stats.corruptLines} journal lines were torn or corrupt and skipped at recovery`,
          },
          time,
        ),
        judged(
          {
            name: 'spool:backlog',
            value: spool.files,
            unit: 'files',
            threshold: thresholds.spoolBacklog,
            output:
              spool.files === 0
                ? 'spool empty'
                : `${spool.files} hook payloads (${spool.bytes} bytes) wait in the spool`,
          },
          time,
        ),
      ];
    },
  };
}
