/**
 * Runs the real Claude Code binary for one `-p` turn against the Messages stand-in, in a temp HOME
 * whose `project/` folder is the working directory. Async (the stand-in answers from this process).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface ClaudeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The stream-json lines Claude Code printed. */
  messages: Array<Record<string, unknown>>;
  /** Claude Code's debug log (with `debug: true`): where it reports hook answers it does not accept. */
  debugLog: string;
}

export interface ClaudeRunOptions {
  binary: string;
  /** The temp HOME (settings in HOME/.claude/settings.json). */
  home: string;
  /** Where the session runs (default HOME/project). */
  cwd?: string;
  baseUrl: string;
  prompt: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Write Claude Code's debug log (costs a little time: leave off where time is measured). */
  debug?: boolean;
}

export function projectDir(home: string): string {
  return join(home, 'project');
}

/** The environment Claude Code needs to run offline and quietly in a test. */
export function claudeEnv(home: string, baseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: process.env.TMPDIR,
    LANG: 'C.UTF-8',
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: 'sk-ant-standin-0000',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    ...extra,
  };
  // As root, --dangerously-skip-permissions is refused outside a sandbox.
  if (process.getuid?.() === 0) env.IS_SANDBOX = '1';
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

export function runClaude(options: ClaudeRunOptions): Promise<ClaudeRun> {
  const cwd = options.cwd ?? projectDir(options.home);
  mkdirSync(cwd, { recursive: true });
  const debugFile = join(cwd, '..', `${basename(cwd)}.debug.log`);
  const started = performance.now();
  const child = spawn(
    options.binary,
    [
      '-p',
      options.prompt,
      '--dangerously-skip-permissions',
      '--output-format',
      'stream-json',
      '--verbose',
      ...(options.debug ? ['--debug-file', debugFile] : []),
    ],
    { cwd, env: claudeEnv(options.home, options.baseUrl, options.env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const messages = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const ms = performance.now() - started;
      const debugLog = options.debug ? readTextOrEmpty(debugFile) : '';
      resolve({ code, stdout, stderr, ms, messages, debugLog });
    });
  });
}

function readTextOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
