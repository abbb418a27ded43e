/** Problems with a Claude Code settings file, told so that the user can fix them. */
import { MpmError, type MpmErrorOptions } from '../errors/base.js';

export type SettingsErrorCode =
  | 'SETTINGS_INVALID_JSON'
  | 'SETTINGS_INVALID_SHAPE'
  | 'SETTINGS_READ_FAILED'
  | 'SETTINGS_WRITE_FAILED'
  | 'HOOKS_HTTP_SCOPE'
  | 'HOOKS_HTTP_PORT'
  | 'HOOKS_INVALID_SCOPE';

export class SettingsError extends MpmError {
  constructor(code: SettingsErrorCode, message: string, options: MpmErrorOptions = {}) {
    super(code, message, options);
  }
}

/** Line and column (1-based) of a character offset, for pointing into a file. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1) ?? '').length + 1 };
}

/** JSON.parse's message carries the offset as "at position N" on Node 20+. */
export function jsonErrorOffset(message: string): number | undefined {
  const match = /position (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}
