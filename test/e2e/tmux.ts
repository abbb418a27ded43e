/**
 * A real terminal for the TUI: one private tmux server (its own socket name) with one session.
 * Read the screen with `capture`, type with `keys`/`type`, wait for what the screen shows with
 * `waitForScreen`. `kill` ends the server (and so the pane's process); call it in `after`/`finally`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { waitFor } from '../helpers/wait.js';

/** Quotes one word for the POSIX shell tmux runs the pane's command with. */
export function shellQuote(word: string): string {
  return /^[\w./=:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface TmuxStart {
  /** argv of the pane's process. */
  command: string[];
  /** Set for the pane's process only (passed through `env`). */
  env: Record<string, string>;
  /** Removed from the environment the pane inherits from the tmux server. */
  unset?: string[];
  width: number;
  height: number;
  /**
   * Keep the shell after the command exits: it prints `[exited N]` and waits for Enter, so the terminal
   * can be inspected as the command left it; then the pane ends with the command's status.
   */
  holdAfterExit?: boolean;
}

export class Tmux {
  readonly socket = `mpm-mon-${process.pid}-${randomBytes(4).toString('hex')}`;
  private started = false;
  private socketPath = '';

  /** Runs tmux for this server; throws with tmux's own message when it fails. */
  tmux(...args: string[]): string {
    const result = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** Starts the session; the pane stays after its process exits so its exit status can be read. */
  start(options: TmuxStart): void {
    const assignments = Object.entries(options.env).map(([key, value]) => shellQuote(`${key}=${value}`));
    const unset = (options.unset ?? []).flatMap((name) => ['-u', shellQuote(name)]);
    const run = ['env', ...unset, ...assignments, ...options.command.map(shellQuote)].join(' ');
    const line = options.holdAfterExit
      ? `${run}; s=$?; printf '[exited %s]\\n' "$s"; read -r _; exit "$s"`
      : `exec ${run}`;
    this.started = true;
    // remain-on-exit is set before the pane exists, so even an instant exit leaves a dead pane to read.
    this.tmux(
      'start-server',
      ';',
      'set-option',
      '-g',
      'remain-on-exit',
      'on',
      ';',
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(options.width),
      '-y',
      String(options.height),
      line,
    );
    this.socketPath = this.format('#{socket_path}');
  }

  /** The visible screen as text; `escapes` keeps SGR colours, `join` joins lines the terminal wrapped. */
  capture(options: { escapes?: boolean; join?: boolean } = {}): string {
    const args = ['capture-pane', '-p', '-t', 'main'];
    if (options.escapes) args.push('-e');
    if (options.join) args.push('-J');
    return this.tmux(...args);
  }

  lines(): string[] {
    return this.capture().replace(/\n$/, '').split('\n');
  }

  /** Named keys (`Enter`, `Escape`, `Space`) or single characters. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** Literal text, typed as it is. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  resize(width: number, height: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(width), '-y', String(height));
  }

  /** A tmux format for the pane, e.g. `#{pane_dead} #{pane_dead_status}`. */
  format(format: string): string {
    return this.tmux('display-message', '-p', '-t', 'main', format).trim();
  }

  /**
   * How the pane's process ended; null while it runs. tmux marks the pane dead when the pty closes and
   * learns the status when it reaps the process — which tmux 3.3 was seen to leave undone for seconds
   * (a zombie) — so `code` and `signal` may be null on a dead pane: read an exit code from
   * `holdAfterExit`'s `[exited N]` line instead.
   */
  exitStatus(): { code: number | null; signal: number | null } | null {
    const [dead, code, signal] = this.format('#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}').split(
      '|',
    );
    if (dead !== '1') return null;
    return { code: code ? Number(code) : null, signal: signal ? Number(signal) : null };
  }

  /** Waits until `check(screen lines)` is truthy; on timeout the error shows the last screen. */
  async waitForScreen<T>(
    check: (lines: string[]) => T,
    what: string,
    timeoutMs = 5000,
  ): Promise<NonNullable<T>> {
    let last: string[] = [];
    try {
      return await waitFor(
        () => {
          last = this.lines();
          return check(last);
        },
        what,
        timeoutMs,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- screen ---\n${last.join('\n')}\n--------------`);
    }
  }

  kill(): void {
    if (!this.started) return;
    this.started = false;
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore', timeout: 10_000 });
    // tmux 3.3 leaves its socket file behind after kill-server.
    if (this.socketPath) rmSync(this.socketPath, { force: true });
  }
}

/** True when some line of `lines` contains every one of `parts`. */
export function lineWith(lines: string[], ...parts: string[]): string | undefined {
  return lines.find((line) => parts.every((part) => line.includes(part)));
}
