/** Output to a closed pipe (`mpm-mon events | head -1`) is a normal end: exit 0, no EPIPE stack trace. */
import { errorCodeOf } from '../errors/base.js';

export function exitQuietlyOnClosedPipe(
  stream: NodeJS.WriteStream,
  exit = (code: number) => process.exit(code),
): void {
  stream.on('error', (error) => {
    if (errorCodeOf(error) === 'EPIPE') exit(0);
    else throw error;
  });
}
