import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { assistantLines, jsonl, userLine } from '../helpers/transcripts.js';
import { get, postEvents } from './harness.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { runCli, sessionsJson, startDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const home = homesRemovedAfter();
const MODEL = 'claude-sonnet-4-5-20250929';

describe('sessions against the real daemon', () => {
  test('sessions --json: state, model, token totals from the transcript, tool failures, waiting first', async () => {
    const h = home();
    h.env.HOME = h.path; // the daemon reads transcripts under $HOME/.claude/projects
    delete h.env.CLAUDE_CONFIG_DIR;
    const project = join(h.path, '.claude', 'projects', '-home-dev-shop');
    mkdirSync(project, { recursive: true });
    const failedPath = join(project, 'sess-failed.jsonl');
    writeFileSync(
      failedPath,
      jsonl([
        userLine('fix the tests'),
        ...assistantLines('msg_a', MODEL, { input: 1200, output: 80, cacheWrite: 5000 }, { blocks: 2 }),
        userLine('tool result'),
        ...assistantLines('msg_b', MODEL, { input: 30, output: 200, cacheRead: 5000 }, { blocks: 3 }),
      ]),
    );
    const daemon = await startDaemon(h);
    try {
      const base = (session: string, type: string, extra: Record<string, unknown> = {}) => ({
        session_id: session,
        transcript_path: join(project, `${session}.jsonl`),
        cwd: '/home/dev/shop',
        hook_event_name: type,
        ...extra,
      });
      const events = [
        base('sess-failed', 'SessionStart', { source: 'startup', model: MODEL }),
        base('sess-failed', 'UserPromptSubmit', { prompt: 'fix the tests' }),
        base('sess-failed', 'PreToolUse', {
          tool_name: 'Bash',
          tool_use_id: 't1',
          tool_input: { command: 'false' },
        }),
        base('sess-failed', 'PostToolUseFailure', {
          tool_name: 'Bash',
          tool_use_id: 't1',
          error: 'Exit code 1',
          is_interrupt: false,
          duration_ms: 12,
        }),
        base('sess-failed', 'PreToolUse', {
          tool_name: 'Read',
          tool_use_id: 't2',
          tool_input: { file_path: 'a' },
        }),
        base('sess-failed', 'PostToolUse', { tool_name: 'Read', tool_use_id: 't2', duration_ms: 3 }),
        base('sess-failed', 'StopFailure', { error: 'unknown' }),
        base('sess-failed', 'SessionEnd', { reason: 'other' }),
        base('sess-wait', 'SessionStart', { source: 'startup' }),
        base('sess-wait', 'PermissionRequest', {
          tool_name: 'Bash',
          tool_input: { command: 'rm -rf build' },
        }),
      ];
      const posted = await postEvents(daemon.port, daemon.token, JSON.stringify(events));
      assert.equal(posted.status, 202, posted.text);

      const sessions = await waitFor(
        () => {
          const list = sessionsJson(h);
          return list.find((session) => session.sessionId === 'sess-failed')?.tokens.output === 280
            ? list
            : null;
        },
        'the transcript figures of sess-failed',
        10_000,
      );
      assert.deepEqual(
        sessions.map((session) => [session.sessionId, session.state]),
        [
          ['sess-wait', 'waiting'],
          ['sess-failed', 'failed'],
        ],
      );
      const failed = sessions[1]!;
      assert.equal(failed.model, MODEL);
      assert.deepEqual(failed.tokens, { input: 1230, output: 280, cacheRead: 5000, cacheWrite: 5000 });
      assert.equal(failed.costUsd, (1230 * 3 + 280 * 15 + 5000 * 0.3 + 5000 * 3.75) / 1e6);
      assert.equal(failed.contextPercent, 2.5, '(30 + 5000) / 200k');
      assert.equal(failed.toolCalls, 2);
      assert.equal(failed.toolFailures, 1);
      assert.equal(failed.lastError?.error, 'unknown');
      assert.deepEqual(
        failed.tools.map((tool) => [tool.tool, tool.calls, tool.failures, tool.p50Ms]),
        [
          ['Bash', 1, 1, 12],
          ['Read', 1, 0, 3],
        ],
      );
      const waiting = sessions[0]!;
      assert.notEqual(waiting.waitingSince, null);
      assert.equal(waiting.transcript.status, 'missing');
      assert.deepEqual(waiting.tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
      assert.equal(waiting.costUsd, null);

      // The transcript grows: the next read adds only the new message.
      appendFileSync(failedPath, jsonl(assistantLines('msg_c', MODEL, { input: 5, output: 20 })));
      await postEvents(
        daemon.port,
        daemon.token,
        JSON.stringify(base('sess-failed', 'Notification', { message: 'hi' })),
      );
      await waitFor(
        () => sessionsJson(h).find((session) => session.sessionId === 'sess-failed')?.tokens.output === 300,
        'the appended message',
        10_000,
      );

      const detail = runCli(h, ['sessions', '--session', 'sess-f']);
      assert.equal(detail.code, 0, detail.stderr);
      assert.match(detail.stdout, /state\s+failed/);
      assert.match(detail.stdout, /TOOL\s+CALLS\s+FAILED\s+P50\s+P95/);
      assert.match(detail.stdout, /Bash\s+1\s+1\s+12ms\s+12ms/);
      const table = runCli(h, ['sessions']);
      assert.match(table.stdout.split('\n')[1] ?? '', /^sess-wai\s+waiting/);
      const unknown = runCli(h, ['sessions', '--session', 'nope']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no session "nope"/);

      assert.equal((await get(daemon.port, '/sessions')).status, 401);
      const metrics = await get(daemon.port, '/metrics', daemon.token);
      assert.match(
        metrics.text,
        new RegExp(`mpm_mon_session_tokens_total\\{model="${MODEL}",kind="output"\\} 300`),
      );
      assert.match(metrics.text, new RegExp(`mpm_mon_session_cost_usd_total\\{model="${MODEL}"\\} 0\\.02`));
      const diagnostics = await get(daemon.port, '/diagnostics', daemon.token);
      const figures = diagnostics.body.sessions;
      assert.equal(figures.sessions, 2);
      assert.ok(figures.reader.bytesRead > 0);
      assert.equal(figures.byStatus.missing, 1);
    } finally {
      await daemon.stop();
    }

    // After a restart the sessions are rebuilt from the stored events, and the transcripts read again.
    const again = await startDaemon(h);
    try {
      const rebuilt = await waitFor(
        () => {
          const list = sessionsJson(h);
          return list.find((session) => session.sessionId === 'sess-failed')?.tokens.output === 300
            ? list
            : null;
        },
        'the sessions after a restart',
        10_000,
      );
      assert.deepEqual(
        rebuilt.map((session) => [session.sessionId, session.state, session.toolFailures]),
        [
          ['sess-wait', 'waiting', 0],
          ['sess-failed', 'failed', 1],
        ],
      );
    } finally {
      await again.stop();
    }
  });
});
