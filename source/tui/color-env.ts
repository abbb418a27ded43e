/**
 * chalk (and so Ink) ignores NO_COLOR and decides its colour level when it is first imported. Call this
 * in cli.tsx before anything imports ink or chalk (the TUI is imported lazily after it).
 */
export function disableColorIfAsked(env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  const off = noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  if (off) env.FORCE_COLOR = '0';
  return !off;
}
