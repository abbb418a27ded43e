/**
 * `npm run media`: the README's screenshots, made from the real thing. Starts a daemon in a temp
 * MPM_MON_HOME, feeds it the Claude Code hook fixtures for three sessions (POST /events), runs the TUI
 * in tmux at 100×30 with colour, visits every view, and writes each screen as media/<view>.svg
 * (and .png when @resvg/resvg-js is installed); then the Events and Health views at 120×40, 80×24,
 * 60×20 and 40×15, each in colour, under NO_COLOR and with --ascii, as media/sizes/<variant>-<size>-<view>.
 * Everything it starts is stopped at the end.
 * Event times, uptime, rates and figures differ from run to run; everything else is fixed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { assistantLines, jsonl, userLine } from '../test/helpers/transcripts.js';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { FIXTURES, fixture, postEvents, storyFixture } from '../test/e2e/harness.js';
import { lineWith, Tmux } from '../test/e2e/tmux.js';
import { ansiToSvg } from './ansi-svg.js';
import { type Home, makeHome } from '../test/helpers/temp-home.js';
import { type DaemonProcess, startDaemon } from '../test/helpers/daemon.js';
import { waitFor } from '../test/helpers/wait.js';

const WIDTH = 100;
const HEIGHT = 30;
const MEDIA = fileURLToPath(new URL('../media/', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

type Payload = Record<string, unknown>;

/** Where the daemon (HOME = the temp home) finds each session's transcript. */
let projects = '/home/dev/.claude/projects';
const transcriptOf = (session: Session): string => join(projects, `${session.id}.jsonl`);

function base(name: string, session: Session, patch: Payload = {}): Payload {
  // The story's payloads, and the captured one that carries secrets (it sits beside the story).
  const text = existsSync(join(FIXTURES, 'story', `${name}.json`))
    ? storyFixture(`${name}.json`)
    : fixture(`${name}.json`);
  const payload = JSON.parse(text) as Payload;
  return {
    ...payload,
    session_id: session.id,
    cwd: session.cwd,
    transcript_path: transcriptOf(session),
    ...patch,
  };
}

interface Session {
  id: string;
  model: string;
  cwd: string;
  prompt: string;
  tools: Array<[tool: string, input: Payload]>;
}

const SESSIONS: Session[] = [
  {
    id: '5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f',
    model: 'claude-sonnet-4-5-20250929',
    cwd: '/home/dev/shop',
    prompt: 'Add a retry with exponential backoff to the payment client and run its tests',
    tools: [
      ['Grep', { pattern: 'fetch\\(url', path: '/home/dev/shop/src' }],
      ['Read', { file_path: '/home/dev/shop/src/payment-client.ts' }],
      ['Edit', { file_path: '/home/dev/shop/src/payment-client.ts', old_string: 'a', new_string: 'b' }],
      ['Bash', { command: 'npm test -- payment-client', description: 'Run the payment client tests' }],
    ],
  },
  {
    id: '9b2e4f61-3c7d-4a58-8e19-2d6f0a7b3c94',
    model: 'claude-opus-4-5-20251101',
    cwd: '/home/dev/api',
    prompt: 'Why does GET /orders return 500 when the cursor is empty?',
    tools: [
      ['Glob', { pattern: 'src/routes/**/*.ts' }],
      ['Read', { file_path: '/home/dev/api/src/routes/orders.ts' }],
      ['Bash', { command: 'curl -s localhost:3000/orders?cursor= | jq .error' }],
    ],
  },
  {
    id: 'c47a0d93-6e25-4f1b-b8d2-91e3f5a6c7d8',
    model: 'claude-haiku-4-5-20251001',
    cwd: '/home/dev/docs',
    prompt: 'Update the install guide for Node 20',
    tools: [
      ['Read', { file_path: '/home/dev/docs/install.md' }],
      ['WebFetch', { url: 'https://nodejs.org/en/about/previous-releases' }],
      ['Write', { file_path: '/home/dev/docs/install.md', content: '…' }],
    ],
  },
];

/** Each session's transcript: one assistant message per tool call and one to finish, known usage. */
function writeTranscripts(): void {
  mkdirSync(projects, { recursive: true });
  SESSIONS.forEach((session, index) => {
    const lines = [userLine(session.prompt)];
    for (let step = 0; step <= session.tools.length; step += 1)
      lines.push(
        ...assistantLines(`msg_media_${index}_${step}`, session.model, {
          input: 12 + step,
          output: 180 + 40 * step,
          cacheRead: 9000 * (step + 1) * (index + 1),
          cacheWrite: 2400,
        }),
        userLine('tool result'),
      );
    writeFileSync(transcriptOf(session), jsonl(lines));
  });
}

/** A few rounds per session: start, prompt, tool calls (each Pre with its Post), a notification, stop. */
function rounds(): Payload[][] {
  const batches: Payload[][] = [SESSIONS.map((session) => base('SessionStart', session))];
  batches.push(SESSIONS.map((session) => base('UserPromptSubmit', session, { prompt: session.prompt })));
  const longest = Math.max(...SESSIONS.map((session) => session.tools.length));
  for (let step = 0; step < longest; step += 1) {
    const pre: Payload[] = [];
    const post: Payload[] = [];
    for (const [index, session] of SESSIONS.entries()) {
      const call = session.tools[step];
      if (!call) continue;
      const [tool, input] = call;
      const id = `toolu_media_${index}_${step}`;
      pre.push(base('PreToolUse', session, { tool_name: tool, tool_input: input, tool_use_id: id }));
      post.push(
        base('PostToolUse', session, {
          tool_name: tool,
          tool_input: input,
          tool_use_id: id,
          tool_response: { ok: true },
        }),
      );
    }
    batches.push(pre, post);
  }
  const [shop, api, docs] = SESSIONS as [Session, Session, Session];
  batches.push([
    base('PreToolUse-secret', shop),
    base('Notification', api),
    base('SubagentStop', shop),
    base('Stop', docs),
    base('SessionEnd', docs),
    base('PreToolUse', shop, { tool_use_id: 'toolu_media_running' }),
  ]);
  return batches;
}

async function feed(daemon: DaemonProcess): Promise<number> {
  let count = 0;
  for (const batch of rounds()) {
    const answer = await postEvents(daemon.port, daemon.token, JSON.stringify(batch));
    if (answer.status !== 202) throw new Error(`POST /events: ${answer.status} ${answer.text}`);
    count += batch.length;
    // Pre and Post a little apart, so the Events view shows how long each call took.
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  return count;
}

type Check = (lines: string[]) => unknown;
const selectedRow = (lines: string[]) => lines.findIndex((line) => line.startsWith('›'));

/**
 * Each view: keys typed one at a time, each followed by what the screen shows once it took effect
 * (keys that reach the TUI in one read arrive as one input, "1k", which matches no key).
 */
const VIEWS: Array<{ name: string; steps: Array<[key: string | null, ready: Check]>; title: string }> = [
  {
    name: 'events',
    steps: [[null, (lines) => lineWith(lines, 'npm test -- payment-client')]],
    title: 'mpm-mon: the live event list',
  },
  {
    name: 'detail',
    steps: [
      // Up five rows from the newest (the list's last row is HEIGHT - 3), to the call with secrets.
      ...[1, 2, 3, 4, 5].map((up): [string, Check] => [
        'k',
        (lines) => selectedRow(lines) === HEIGHT - 3 - up,
      ]),
      ['Enter', (lines) => lineWith(lines, '"data": {') && lineWith(lines, '[REDACTED:')],
    ],
    title: 'mpm-mon: one event in full, its secrets redacted',
  },
  {
    name: 'sessions',
    steps: [
      ['Escape', (lines) => lines[2]?.includes('summary')],
      ['2', (lines) => lineWith(lines, '3 session(s)') && lineWith(lines, '$0.')],
    ],
    title: 'mpm-mon: sessions, the one waiting for you first',
  },
  {
    name: 'session',
    steps: [['Enter', (lines) => lineWith(lines, 'TOOL') && lineWith(lines, 'Subagents')]],
    title: "mpm-mon: one session's figures, tools and subagents",
  },
  {
    name: 'tools',
    steps: [
      ['Escape', (lines) => lineWith(lines, '3 session(s)')],
      ['t', (lines) => lineWith(lines, 'Tool statistics across sessions')],
    ],
    title: 'mpm-mon: tool statistics across sessions',
  },
  {
    name: 'health',
    steps: [['3', (lines) => (lineWith(lines, 'process:memory')?.match(/[▁▂▃▄▅▆▇█]/g)?.length ?? 0) >= 12]],
    title: "mpm-mon: the daemon's health checks",
  },
  {
    name: 'recovery',
    steps: [['4', (lines) => lines[2]?.startsWith(' breaker')]],
    title: 'mpm-mon: recovery log',
  },
  {
    name: 'troubleshoot',
    steps: [['5', (lines) => !lines[2]?.startsWith(' breaker') && lineWith(lines, '   $ mpm-mon ')]],
    title: 'mpm-mon: troubleshooting',
  },
  {
    name: 'help',
    steps: [
      ['1', (lines) => lines[2]?.includes('summary')],
      ['?', (lines) => lineWith(lines, 'Keys  (? or Esc closes)')],
    ],
    title: 'mpm-mon: keys',
  },
];

async function loadPngRenderer(): Promise<((svg: string) => Buffer) | null> {
  const name = '@resvg/resvg-js';
  try {
    const { Resvg } = (await import(name)) as {
      Resvg: new (svg: string, options?: unknown) => { render(): { asPng(): Buffer } };
    };
    return (svg) => new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 } }).render().asPng();
  } catch {
    return null;
  }
}

const SIZES: ReadonlyArray<readonly [columns: number, rows: number]> = [
  [120, 40],
  [80, 24],
  [60, 20],
  [40, 15],
];

const VARIANTS: ReadonlyArray<{ name: string; args: string[]; env: Record<string, string> }> = [
  { name: 'plain', args: [], env: {} },
  // FORCE_COLOR keeps chalk's bold and inverse; NO_COLOR keeps every colour out.
  { name: 'no-color', args: [], env: { NO_COLOR: '1' } },
  { name: 'ascii', args: ['--ascii'], env: {} },
];

type Writer = (name: string, capture: string, columns: number, rows: number, title: string) => void;

/** The Events and Health views at every size, in every variant (one TUI per variant, resized). */
async function captureSizes(home: Home, write: Writer): Promise<void> {
  for (const variant of VARIANTS) {
    const tmux = new Tmux();
    try {
      const [startColumns, startRows] = SIZES[0]!;
      tmux.start({
        command: [process.execPath, CLI, '--no-start', ...variant.args],
        env: { MPM_MON_HOME: home.path, FORCE_COLOR: '1', TERM: 'xterm-256color', ...variant.env },
        unset: ['CI', 'MPM_MON_PORT', ...(variant.env.NO_COLOR ? [] : ['NO_COLOR'])],
        width: startColumns,
        height: startRows,
      });
      for (const [columns, rows] of SIZES) {
        tmux.resize(columns, rows);
        for (const [key, view, ready] of [
          ['1', 'events', (lines: string[]) => lines[2]?.includes('summary') && lineWith(lines, 'npm ')],
          ['3', 'health', (lines: string[]) => lineWith(lines, 'overall')],
        ] as const) {
          tmux.keys(key);
          await tmux.waitForScreen(
            (lines) => lines.length === rows && lines[rows - 2]?.startsWith('q quit') && ready(lines),
            `${variant.name} ${columns}x${rows} ${view}`,
            15_000,
          );
          const name = `sizes/${variant.name}-${columns}x${rows}-${view}`;
          write(
            name,
            tmux.capture({ escapes: true }),
            columns,
            rows,
            `mpm-mon ${view}, ${columns}×${rows}, ${variant.name}`,
          );
        }
      }
      tmux.keys('q');
      await waitFor(() => tmux.exitStatus(), 'the TUI to exit', 10_000);
    } finally {
      tmux.kill();
    }
  }
}

async function main(): Promise<void> {
  mkdirSync(MEDIA, { recursive: true });
  const toPng = await loadPngRenderer();
  let home: Home | null = null;
  let daemon: DaemonProcess | null = null;
  const tmux = new Tmux();
  try {
    home = makeHome();
    // Frequent health runs so the Health view's sparklines have a history by the time it is captured.
    home.writeConfig({ health: { intervalMs: 200 } });
    home.env.HOME = home.path;
    delete home.env.CLAUDE_CONFIG_DIR;
    projects = join(home.path, '.claude', 'projects', '-home-dev');
    writeTranscripts();
    daemon = await startDaemon(home);
    const posted = await feed(daemon);
    tmux.start({
      command: [process.execPath, CLI, '--no-start'],
      env: { MPM_MON_HOME: home.path, CI: 'false', FORCE_COLOR: '1', TERM: 'xterm-256color' },
      unset: ['NO_COLOR', 'MPM_MON_PORT'],
      width: WIDTH,
      height: HEIGHT,
    });
    await tmux.waitForScreen(
      (lines) => lines[0]?.includes('connected') && lineWith(lines, 'agent a7c4e2f1'),
      `the TUI with the ${posted} events`,
      15_000,
    );
    for (const view of VIEWS) {
      for (const [key, ready] of view.steps) {
        if (key !== null) tmux.keys(key);
        await tmux.waitForScreen(ready, `${view.name}: the effect of ${key ?? 'nothing'}`, 15_000);
      }
      const capture = tmux.capture({ escapes: true }).split(home.path).join('$MPM_MON_HOME');
      const svg = ansiToSvg(capture, { columns: WIDTH, rows: HEIGHT, title: view.title });
      writeFileSync(join(MEDIA, `${view.name}.svg`), svg);
      if (toPng) writeFileSync(join(MEDIA, `${view.name}.png`), toPng(svg));
      console.log(`media/${view.name}.svg${toPng ? ` and media/${view.name}.png` : ''}`);
    }
    tmux.keys('q');
    await waitFor(() => tmux.exitStatus(), 'the TUI to exit', 10_000);
    mkdirSync(join(MEDIA, 'sizes'), { recursive: true });
    const homePath = home.path;
    await captureSizes(home, (name, capture, columns, rows, title) => {
      const svg = ansiToSvg(capture.split(homePath).join('$MPM_MON_HOME'), { columns, rows, title });
      writeFileSync(join(MEDIA, `${name}.svg`), svg);
      if (toPng) writeFileSync(join(MEDIA, `${name}.png`), toPng(svg));
      console.log(`media/${name}.svg${toPng ? ' and .png' : ''}`);
    });
    if (!toPng) console.log('PNG skipped: @resvg/resvg-js is not installed');
  } finally {
    tmux.kill();
    await daemon?.stop();
    home?.remove();
  }
}

await main();
