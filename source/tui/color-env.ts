/**
 * chalk (and so Ink) ignores NO_COLOR and decides its colour level when it is first imported. Call this
 * in cli.tsx before anything imports ink or chalk (the TUI is imported lazily after it). The decision
 * is the one of errors/text-style.
 */
import { colorRefused } from '../errors/text-style.js';

export function disableColorIfAsked(env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  const off = colorRefused({ flag: noColorFlag ? false : undefined, env });
  if (off) env.FORCE_COLOR = '0';
  return !off;
}
