/**
 * `mpm-mon …` at the start of a command, or in backticks or after a parenthesis in a step's text, said the way mpm-mon runs
 * here (instance/invocation.ts). Prose ("the mpm-mon daemon") is left alone.
 */
export function localizeCommand(text: string, command: string): string {
  if (command === 'mpm-mon') return text;
  return text.replace(/(^|`|\()mpm-mon(?=\s|`|$)/g, (_, before: string) => `${before}${command}`);
}
