/**
 * Whether the TUI draws in colour: not when colour is refused — the one decision of errors/text-style
 * (`--no-color`, NO_COLOR with any non-empty value, FORCE_COLOR=0, TERM=dumb). chalk's own level is
 * left alone: the TUI passes no colour to Ink without colour (lines.tsx), and bold and inverse, which
 * NO_COLOR allows, still mark the active tab and the selected row.
 */
import { colorRefused } from '../errors/text-style.js';

export function disableColorIfAsked(env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  return !colorRefused({ flag: noColorFlag ? false : undefined, env });
}
