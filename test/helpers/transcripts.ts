/** Transcript lines shaped like Claude Code's (one line per content block, each repeating the usage). */

export interface UsageIn {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export function userLine(text: string): string {
  return JSON.stringify({
    type: 'user',
    isSidechain: false,
    message: { role: 'user', content: text },
    uuid: `u-${text.length}`,
  });
}

/** The lines of one assistant message with `blocks` content blocks. */
export function assistantLines(
  id: string,
  model: string,
  usage: UsageIn,
  options: { blocks?: number; sidechain?: boolean } = {},
): string[] {
  const lines: string[] = [];
  for (let block = 0; block < (options.blocks ?? 2); block += 1) {
    lines.push(
      JSON.stringify({
        type: 'assistant',
        isSidechain: options.sidechain === true,
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [
            block === 0
              ? { type: 'text', text: 'secret words of the answer' }
              : { type: 'tool_use', id: `toolu_${id}_${block}`, name: 'Bash', input: { command: 'ls' } },
          ],
          stop_reason: block === (options.blocks ?? 2) - 1 ? 'tool_use' : null,
          usage: {
            input_tokens: usage.input ?? 0,
            output_tokens: usage.output ?? 0,
            cache_read_input_tokens: usage.cacheRead ?? 0,
            cache_creation_input_tokens: usage.cacheWrite ?? 0,
          },
        },
      }),
    );
  }
  return lines;
}

export function jsonl(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}
