/** Child processes in tests: started, watched and ended by their own pid. */
import { spawn, type ChildProcess } from 'node:child_process';

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
    for (const child of this.started) killChild(child);
  }
}

/** SIGKILL by pid, unless the child has already exited. */
export function killChild(child: ChildProcess | undefined): void {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** A node child that stays alive until killed, once it has started. */
export async function spawnIdleChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child;
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
  const pid = child.pid;
  await exited(child);
  if (pid === undefined) throw new Error('child had no pid');
  return pid;
}
