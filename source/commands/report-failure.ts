/**
 * A command's failure on stderr (text, or JSON with --json), returning the exit code it calls for.
 * Expected failures are structured errors, printed without a stack; anything else is a bug.
 */
import { presentFailure } from '../errors/present.js';

export function reportFailure(error: unknown, json: boolean, verbose: boolean): number {
  const failure = presentFailure(error, { verbose });
  process.stderr.write(`${json ? JSON.stringify(failure.json) : failure.text}\n`);
  return failure.exitCode;
}
