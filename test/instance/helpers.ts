/** Shared by the daemon tests: temp homes, waiting for conditions, child processes killed by pid. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'mpm-mon-daemon-'): { path: string; remove: () => void } {
  const path = fs.mkdtempSync(join(os.tmpdir(), prefix));
  return { path, remove: () => fs.rmSync(path, { recursive: true, force: true }) };
}

export { waitFor } from '../helpers/wait.js';

/** Children started by a test; `killAll` in `after` ends each by its pid. */
export class Children {
  private readonly started: ChildProcess[] = [];

  spawn(command: string, args: string[], options: Parameters<typeof spawn>[2] = {}): ChildProcess {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    this.started.push(child);
    return child;
  }

  /** A long-lived process that does nothing (node, so it exists on every platform). */
  idle(): ChildProcess {
    return this.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)']);
  }

  killAll(): void {
    for (const child of this.started) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Collects a child's stdout as text. */
export function collectStdout(child: ChildProcess): () => string {
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => (out += chunk));
  return () => out;
}

/** A PID that belonged to a process which has exited and been reaped. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = child.pid!;
  await exited(child);
  return pid;
}
