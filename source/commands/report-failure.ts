/**
 * A command's failure on stderr (text, or JSON with --json), returning the exit code it calls for.
 * Expected failures are structured errors, printed without a stack; anything else is a bug. Hints
 * name mpm-mon the way it runs here (instance/invocation).
 */
import { presentFailure } from '../errors/present.js';
import { invocation } from '../instance/invocation.js';

export function reportFailure(error: unknown, json: boolean, verbose: boolean): number {
  const failure = presentFailure(error, { verbose, invoke: invocation().command });
  process.stderr.write(`${json ? JSON.stringify(failure.json) : failure.text}\n`);
  return failure.exitCode;
}
