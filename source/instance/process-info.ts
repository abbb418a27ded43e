/**
 * What the OS says about a process: alive, zombie, when it started, what it runs. The start time
 * together with the PID identifies a process across PID reuse; the command line does not (meow sets
 * process.title, which rewrites /proc/PID/cmdline).
 */
import { parseProcStat as parseProcStatText } from './daemon-identity.js';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface ProcessDescription {
  pid: number;
  command: string | null;
  startTime: string | null;
}

export interface ProcStat {
  state: string;
  ppid: number;
  /** Field 22: start time in clock ticks since boot, kept as text (it is compared, never computed). */
  startTime: string;
}

function isPid(pid: number): boolean {
  return Number.isInteger(pid) && pid > 0;
}

export { parseProcStat } from './daemon-identity.js';

async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseProcStatText(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Runs a short command and gives its stdout, or null on any failure: missing binary, non-zero exit,
 * timeout. Locale and time zone are pinned so that outputs compare across processes.
 */
export function runQuiet(command: string, args: string[], timeoutMs = 1500): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile(
        command,
        args,
        {
          timeout: timeoutMs,
          windowsHide: true,
          maxBuffer: 1024 * 1024,
          env: { ...process.env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' },
        },
        (error, stdout) => resolve(error ? null : stdout),
      );
    } catch {
      resolve(null);
    }
  });
}

/**
 * The process start time as the OS reports it, or null when it will not say. Linux: field 22 of
 * /proc/PID/stat (only /proc: a different source would give a different string for the same process
 * and make a live daemon look like a reused PID). macOS: `ps -o lstart=`. Windows: null.
 */
export async function readProcessStartTime(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<string | null> {
  if (!isPid(pid)) return null;
  if (platform === 'linux') return (await readProcStat(pid))?.startTime ?? null;
  if (platform === 'darwin') {
    const out = await runQuiet('ps', ['-o', 'lstart=', '-p', String(pid)]);
    const trimmed = out?.trim();
    return trimmed ? trimmed.replace(/\s+/g, ' ') : null;
  }
  return null;
}

/** True when the process has exited but its parent has not reaped it (Linux and macOS). */
export async function isZombie(pid: number, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (!isPid(pid)) return false;
  if (platform === 'linux') return (await readProcStat(pid))?.state === 'Z';
  if (platform === 'darwin') {
    const out = await runQuiet('ps', ['-o', 'stat=', '-p', String(pid)]);
    return out?.trim().startsWith('Z') ?? false;
  }
  return false;
}

async function readCommand(pid: number, platform: NodeJS.Platform): Promise<string | null> {
  if (platform === 'linux') {
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ');
      if (cmdline) return cmdline;
      // Kernel threads and zombies have an empty cmdline; comm still names them.
      const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
      return comm || null;
    } catch {
      return null;
    }
  }
  if (platform === 'darwin') {
    const out = await runQuiet('ps', ['-o', 'command=', '-p', String(pid)]);
    return out?.trim() || null;
  }
  if (platform === 'win32') {
    const out = await runQuiet('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH']);
    return parseTasklistName(out ?? '');
  }
  return null;
}

/** The image name from `tasklist /FO CSV /NH` ("node.exe","1234",…), or null. */
export function parseTasklistName(csv: string): string | null {
  const match = /^"([^"]+)","\d+"/m.exec(csv.trim());
  return match?.[1] ?? null;
}

/** Best effort: what a PID runs and when it started; nulls where the OS will not tell. */
export async function describeProcess(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<ProcessDescription> {
  if (!isPid(pid)) return { pid, command: null, startTime: null };
  const [command, startTime] = await Promise.all([
    readCommand(pid, platform),
    readProcessStartTime(pid, platform),
  ]);
  return { pid, command, startTime };
}
