/** `$MPM_MON_HOME/daemon.pid`: what the daemon writes and everyone else reads (DESIGN.md "Where state lives"). */
export interface PidFileData {
  pid: number;
  port: number;
  host: string;
  /** ISO time the daemon started. */
  startedAt: string;
  /**
   * The process start time as the OS reports it (Linux: field 22 of /proc/PID/stat, in clock ticks
   * since boot, as a string; macOS: `ps -o lstart=`). With `pid` it identifies the process across
   * PID reuse. null when the OS would not say.
   */
  processStartTime: string | null;
  version: string;
  nodeVersion: string;
  argv: string[];
  /** `https` when the daemon serves TLS (tls.cert, tls.key): clients on this machine use it too. Absent: http. */
  scheme?: 'http' | 'https';
  /** With https: the SHA-256 fingerprint of its certificate, which local clients pin. */
  tlsFingerprint?: string;
}

/** What a PID file says: full metadata, a legacy bare number, or nothing usable. */
export type ParsedPidFile =
  { kind: 'full'; data: PidFileData } | { kind: 'legacy'; pid: number } | { kind: 'invalid'; reason: string };

export function parsePidFile(text: string): ParsedPidFile {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const pid = Number(trimmed);
    return pid > 0
      ? { kind: 'legacy', pid }
      : { kind: 'invalid', reason: `PID ${trimmed} is not a process id` };
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return {
      kind: 'invalid',
      reason: trimmed === '' ? 'the file is empty' : 'the file is neither JSON nor a number',
    };
  }
  if (typeof value !== 'object' || value === null)
    return { kind: 'invalid', reason: 'the file is not a JSON object' };
  const data = value as Partial<PidFileData>;
  if (!Number.isInteger(data.pid) || (data.pid ?? 0) <= 0)
    return { kind: 'invalid', reason: '"pid" is missing or not a positive integer' };
  if (!Number.isInteger(data.port)) return { kind: 'invalid', reason: '"port" is missing or not an integer' };
  return {
    kind: 'full',
    data: {
      pid: data.pid!,
      port: data.port!,
      host: typeof data.host === 'string' ? data.host : '127.0.0.1',
      startedAt: typeof data.startedAt === 'string' ? data.startedAt : '',
      processStartTime: typeof data.processStartTime === 'string' ? data.processStartTime : null,
      version: typeof data.version === 'string' ? data.version : 'unknown',
      nodeVersion: typeof data.nodeVersion === 'string' ? data.nodeVersion : 'unknown',
      argv: Array.isArray(data.argv) ? data.argv.filter((arg): arg is string => typeof arg === 'string') : [],
      ...(data.scheme === 'https' ? { scheme: 'https' as const } : {}),
      ...(typeof data.tlsFingerprint === 'string' ? { tlsFingerprint: data.tlsFingerprint } : {}),
    },
  };
}
