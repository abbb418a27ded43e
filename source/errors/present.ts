/**
 * How a command ends on a failure: an expected one (an MpmError) is rendered with its facts, steps
 * and commands and no stack trace; anything else is a bug, shown briefly, with the stack only when
 * asked for (`--verbose`, or DEBUG in the environment).
 */
import { currentPlatform, isMpmError, renderError, type Platform } from './base.js';

export interface FailureOptions {
  platform?: Platform;
  verbose?: boolean;
  env?: NodeJS.ProcessEnv;
  /** How `mpm-mon` is run here (instance/invocation.ts). */
  invoke?: string;
}

export interface PresentedFailure {
  text: string;
  exitCode: number;
  json: Record<string, unknown>;
}

export function wantsStackTraces(options: FailureOptions): boolean {
  const debug = (options.env ?? process.env).DEBUG;
  return options.verbose === true || (debug !== undefined && debug !== '' && debug !== '0');
}

export function presentFailure(error: unknown, options: FailureOptions = {}): PresentedFailure {
  const platform = options.platform ?? currentPlatform();
  const stack = wantsStackTraces(options) && error instanceof Error && error.stack ? error.stack : undefined;
  if (isMpmError(error)) {
    return {
      text: `${renderError(error, platform, options.invoke)}${stack ? `\n\n${stack}` : ''}`,
      exitCode: error.exitCode,
      json: { error: error.toJSON() },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [
    `error [UNEXPECTED]: ${message}`,
    '',
    'This is not a failure mpm-mon knows how to explain; it is probably a bug.',
    stack ? '' : 'Run the command again with --verbose (or DEBUG=1) to see where it happened.',
  ];
  if (stack) lines.push(stack);
  return {
    text: lines.join('\n').trimEnd(),
    exitCode: 1,
    json: { error: { code: 'UNEXPECTED', message } },
  };
}
