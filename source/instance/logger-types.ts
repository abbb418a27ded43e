/** What every daemon part logs through; the implementation (JSON lines, rotation, stderr) is logger.ts. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything (tests of parts that log, when the log is not what is tested). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
