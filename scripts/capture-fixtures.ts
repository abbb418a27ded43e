/**
 * Captures the hook payloads the real Claude Code fires into test/fixtures/claude-hooks/<Event>.json:
 * every scenario of test/claude-code/scenarios.ts runs against the Messages stand-in with a hook per
 * event that only saves its stdin; the first payload of each event type (under 16 KB) is kept, with
 * the temp HOME, ids and durations made neutral so that a re-capture changes only what Claude Code
 * changed. Files for events these scenarios do not fire are left as they are.
 *
 *   node --import tsx scripts/capture-fixtures.ts
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLAUDE_CODE_VERSION, HOOK_EVENT_NAMES } from '../source/claude/hook-events.js';
import { startStandIn } from '../test/claude-code/messages-standin.js';
import { runClaude } from '../test/claude-code/run-claude.js';
import { SCENARIOS } from '../test/claude-code/scenarios.js';
import { findClaudeCode, writeHookSettings } from '../test/claude-code/session.js';

const OUT = fileURLToPath(new URL('../test/fixtures/claude-hooks/', import.meta.url));
const MAX_FIXTURE_BYTES = 16 * 1024;
/** The neutral stand-ins for what differs from run to run. */
const HOME = '/home/user';
const SESSION = '5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f';
const AGENT = 'a0123456789abcdef';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Claude Code's project folder name for a path: every `/` and `.` becomes `-`. */
function projectKey(path: string): string {
  return path.replace(/[/.]/g, '-');
}

export function neutralize(text: string, home: string): string {
  const ids = new Map<string, string>();
  const payload = JSON.parse(text) as Record<string, unknown>;
  if (typeof payload.session_id === 'string') ids.set(payload.session_id, SESSION);
  const renamed = text
    .replaceAll(projectKey(home), projectKey(HOME))
    .replaceAll(home, HOME)
    .replace(UUID, (uuid) => {
      if (!ids.has(uuid)) ids.set(uuid, `00000000-0000-4000-8000-${String(ids.size).padStart(12, '0')}`);
      return ids.get(uuid)!;
    })
    .replace(/\ba[0-9a-f]{16}\b/g, AGENT);
  const value = JSON.parse(renamed) as Record<string, unknown>;
  if (typeof value.duration_ms === 'number') value.duration_ms = 12;
  return `${JSON.stringify(value)}\n`;
}

async function main(): Promise<void> {
  const claude = findClaudeCode();
  if (!claude.ok) throw new Error(claude.reason);
  const standIn = await startStandIn();
  const captured = new Map<string, string>();
  const fired: string[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const home = mkdtempSync(join(tmpdir(), 'mpm-mon-capture-'));
      try {
        const dir = join(home, 'captured');
        mkdirSync(dir);
        // Claude Code runs one hook at a time here, so the clock orders the files.
        writeHookSettings(home, HOOK_EVENT_NAMES, `cat > '${dir}'/$(date +%s%N).json`);
        standIn.use(scenario);
        const run = await runClaude({
          binary: claude.path,
          home,
          baseUrl: standIn.url,
          prompt: scenario.prompt,
        });
        const types: string[] = [];
        for (const name of readdirSync(dir).sort()) {
          const text = readFileSync(join(dir, name), 'utf8');
          const type = String((JSON.parse(text) as { hook_event_name?: unknown }).hook_event_name);
          types.push(type);
          if (!captured.has(type) && Buffer.byteLength(text) <= MAX_FIXTURE_BYTES)
            captured.set(type, neutralize(text, home));
        }
        fired.push(`${scenario.name} (exit ${run.code}): ${types.join(', ')}`);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    await standIn.close();
  }
  mkdirSync(OUT, { recursive: true });
  for (const [type, text] of captured) writeFileSync(join(OUT, `${type}.json`), text);
  process.stdout.write(
    `Claude Code ${CLAUDE_CODE_VERSION}: wrote ${[...captured.keys()].sort().join(', ')} to ${OUT}\n${fired.join('\n')}\n`,
  );
}

await main();
