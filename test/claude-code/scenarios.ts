/**
 * The scenarios the real Claude Code is driven through (end-to-end tests, fixture capture, bench).
 * Exported as data so a test can compute what the stand-in reported (models, token totals).
 */
import type { TokenTotals } from '../../source/protocol/session.js';
import type { Scenario, Step, Usage } from './messages-standin.js';

export const MODEL = 'claude-sonnet-4-5-20250929';

function usage(input: number, output: number, cacheWrite = 0, cacheRead = 0): Usage {
  return {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/** One tool call in a response. */
function tool(name: string, input: Record<string, unknown>, spent: Usage): Step {
  return { kind: 'tools', tools: [{ name, input }], usage: spent };
}

/** A final answer (end_turn). */
function say(text: string, spent: Usage): Step {
  return { kind: 'text', text, usage: spent };
}

function scenario(name: string, prompt: string, steps: Step[], extra: Partial<Scenario> = {}): Scenario {
  return { name, prompt, main: { model: MODEL, steps }, ...extra };
}

/** Bash, Write, Read, Edit, then an answer: each tool's Pre/Post/Batch. */
export const TOOLS: Scenario = scenario('tools', 'Make a notes file and read it back.', [
  tool('Bash', { command: 'echo hello', description: 'Say hello' }, usage(1200, 40, 900, 0)),
  tool(
    'Write',
    { file_path: '{{cwd}}/notes.txt', content: 'first line\nsecond line\n' },
    usage(30, 60, 80, 2100),
  ),
  tool('Read', { file_path: '{{cwd}}/notes.txt' }, usage(25, 30, 70, 2180)),
  tool(
    'Edit',
    {
      file_path: '{{cwd}}/notes.txt',
      old_string: 'second line',
      new_string: 'second line, edited',
    },
    usage(20, 25, 60, 2250),
  ),
  say('Done: notes.txt holds two lines.', usage(15, 12, 40, 2310)),
]);

/** A Read of a file that does not exist: PostToolUseFailure instead of PostToolUse. */
export const FAILING_TOOL: Scenario = scenario('failing-tool', 'Read the missing file.', [
  tool('Read', { file_path: '{{cwd}}/missing.txt' }, usage(1100, 35, 850, 0)),
  say('That file does not exist.', usage(20, 10, 50, 1950)),
]);

/** The API refuses the first request (400: not retried): StopFailure instead of Stop. */
export const API_ERROR: Scenario = scenario('api-error', 'This turn fails.', [
  {
    kind: 'error',
    status: 400,
    errorType: 'invalid_request_error',
    message: 'stand-in refuses this request',
  },
]);

export const SUBAGENT_MARKER = 'SUBAGENT-TASK-7f3a';

/** An Agent call: SubagentStart/SubagentStop around the subagent's own Bash call. */
export const SUBAGENT: Scenario = scenario(
  'subagent',
  'Ask a helper to count the files.',
  [
    tool(
      'Agent',
      {
        description: 'Count files',
        prompt: `${SUBAGENT_MARKER}: count the files in the working directory with Bash.`,
        subagent_type: 'general-purpose',
      },
      usage(1300, 70, 950, 0),
    ),
    say('The helper counted the files.', usage(30, 14, 60, 2300)),
  ],
  {
    subagent: {
      marker: SUBAGENT_MARKER,
      script: {
        model: 'claude-haiku-4-5-20251001',
        steps: [
          tool('Bash', { command: 'ls | wc -l', description: 'Count files' }, usage(800, 30, 600, 0)),
          say('There are 0 files.', usage(20, 9, 40, 1400)),
        ],
      },
    },
  },
);

export const BIG_WRITE_BYTES = 1_400_000;

/** A Write of a 1.4 MB file: PreToolUse and PostToolUse payloads of about 1.4 MB each. */
export const BIG_WRITE: Scenario = scenario('big-write', 'Write a big file.', [
  tool(
    'Write',
    {
      file_path: '{{cwd}}/big.txt',
      content: `${'0123456789abcdef'.repeat(BIG_WRITE_BYTES / 16 - 1)}end of file.....\n`.slice(
        0,
        BIG_WRITE_BYTES,
      ),
    },
    usage(1000, 5000, 800, 0),
  ),
  say('Wrote big.txt.', usage(20, 8, 40, 1800)),
]);

export const SCENARIOS: readonly Scenario[] = [TOOLS, FAILING_TOOL, API_ERROR, SUBAGENT, BIG_WRITE];

/**
 * What Claude Code 2.1.197 fires in each scenario, in order: `Type`, `Type:Tool`, and `@agent` for an
 * event a subagent emitted (its payload has `agent_id`). StopFailure races SessionEnd.
 */
export const FIRES: Record<string, readonly string[]> = {
  [TOOLS.name]: [
    'SessionStart',
    'UserPromptSubmit',
    ...['Bash', 'Write', 'Read', 'Edit'].flatMap((tool) => [
      `PreToolUse:${tool}`,
      `PostToolUse:${tool}`,
      'PostToolBatch',
    ]),
    'MessageDisplay',
    'Stop',
    'SessionEnd',
  ],
  [FAILING_TOOL.name]: [
    'SessionStart',
    'UserPromptSubmit',
    'PreToolUse:Read',
    'PostToolUseFailure:Read',
    'PostToolBatch',
    'MessageDisplay',
    'Stop',
    'SessionEnd',
  ],
  [API_ERROR.name]: ['SessionStart', 'UserPromptSubmit', 'MessageDisplay', 'StopFailure', 'SessionEnd'],
  [SUBAGENT.name]: [
    'SessionStart',
    'UserPromptSubmit',
    'PreToolUse:Agent',
    'SubagentStart@agent',
    'PreToolUse:Bash@agent',
    'PostToolUse:Bash@agent',
    'PostToolBatch@agent',
    'SubagentStop@agent',
    'PostToolUse:Agent',
    'PostToolBatch',
    'MessageDisplay',
    'Stop',
    'SessionEnd',
  ],
  [BIG_WRITE.name]: [
    'SessionStart',
    'UserPromptSubmit',
    'PreToolUse:Write',
    'PostToolUse:Write',
    'PostToolBatch',
    'MessageDisplay',
    'Stop',
    'SessionEnd',
  ],
};

/** The token totals the stand-in reported for a scenario (its subagent's included), by kind. */
export function tokensSent(scenario: Scenario): TokenTotals {
  const scripts = [scenario.main, ...(scenario.subagent ? [scenario.subagent.script] : [])];
  const totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const step of scripts.flatMap((script) => script.steps)) {
    if (step.kind === 'error') continue;
    totals.input += step.usage.input_tokens;
    totals.output += step.usage.output_tokens;
    totals.cacheRead += step.usage.cache_read_input_tokens;
    totals.cacheWrite += step.usage.cache_creation_input_tokens;
  }
  return totals;
}
