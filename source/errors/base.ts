/**
 * Structured errors: every expected failure a user can meet is one of these, so that the CLI, the
 * troubleshooting report and `doctor` can all say what happened, why, and what to type.
 */
import type { ErrorCode } from './codes.js';
import { localizeCommand } from './localize.js';

export type Platform = 'linux' | 'darwin' | 'win32';
export const PLATFORMS: readonly Platform[] = ['linux', 'darwin', 'win32'];

/** Commands that help, per platform; `all` applies everywhere (e.g. `mpm-mon status`). */
export interface PlatformCommands {
  all?: string[];
  linux?: string[];
  darwin?: string[];
  win32?: string[];
}

export interface ErrorJson {
  name: string;
  code: string;
  message: string;
  context: Record<string, unknown>;
  steps: string[];
  commands: Required<PlatformCommands>;
}

export function currentPlatform(): Platform {
  return process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';
}

export interface MpmErrorOptions {
  context?: Record<string, unknown>;
  steps?: string[];
  commands?: PlatformCommands;
  cause?: unknown;
}

export class MpmError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  readonly steps: string[];
  readonly commands: PlatformCommands;
  /** Process exit code when this error ends a command. */
  exitCode = 1;

  constructor(code: ErrorCode, message: string, options: MpmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
    this.steps = options.steps ?? [];
    this.commands = options.commands ?? {};
  }

  commandsFor(platform: Platform): string[] {
    return [...(this.commands.all ?? []), ...(this.commands[platform] ?? [])];
  }

  toJSON(): ErrorJson {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      context: this.context,
      steps: this.steps,
      commands: {
        all: this.commands.all ?? [],
        linux: this.commandsFor('linux'),
        darwin: this.commandsFor('darwin'),
        win32: this.commandsFor('win32'),
      },
    };
  }
}

/** The `code` of a Node system error (`ENOENT`, `EADDRINUSE`, …), or undefined when it has none. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isMpmError(error: unknown): error is MpmError {
  return error instanceof MpmError;
}

/** Plain-text rendering for a terminal: message, facts, numbered steps, commands for `platform`. */
export function renderError(
  error: MpmError,
  platform: Platform = currentPlatform(),
  invoke = 'mpm-mon',
): string {
  const lines = [`error [${error.code}]: ${error.message}`];
  const facts = Object.entries(error.context).filter(([, value]) => value !== undefined && value !== null);
  if (facts.length > 0) {
    lines.push(
      '',
      ...facts.map(
        ([key, value]) => `  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
      ),
    );
  }
  if (error.steps.length > 0) {
    lines.push(
      '',
      'To resolve:',
      ...error.steps.map((step, index) => `  ${index + 1}. ${localizeCommand(step, invoke)}`),
    );
  }
  const commands = error.commandsFor(platform);
  if (commands.length > 0)
    lines.push(
      '',
      `Commands (${platform}):`,
      ...commands.map((command) => `  $ ${localizeCommand(command, invoke)}`),
    );
  return lines.join('\n');
}
