/**
 * Whether the TUI draws in colour: not with `--no-color` or NO_COLOR (any non-empty value). chalk's own
 * level is left alone: the TUI passes no colour to Ink without colour (lines.tsx), and bold and inverse,
 * which NO_COLOR allows, still mark the active tab and the selected row.
 */
export function disableColorIfAsked(env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  return !(noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== ''));
}
