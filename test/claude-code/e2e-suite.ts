/**
 * The end-to-end suite of the real Claude Code (the pinned npm package, installed into a cache when
 * missing), run once per hook form (test/e2e/claude-code-*.test.ts): whole sessions against the
 * Messages stand-in, with mpm-mon's hooks installed by `mpm-mon install-hooks` into a temp HOME and a
 * real daemon. Every event Claude Code fires is stored once, in order, with the right type, session,
 * tool and agent; a stalled daemon costs a session little.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertStoredAsFired, inOccurrenceOrder } from './assert-stored.js';
import { baselineHomes, measureHookCost } from './hook-cost.js';
import { startStandIn, type Scenario, type StandIn } from './messages-standin.js';
import {
  API_ERROR,
  BIG_WRITE,
  BIG_WRITE_BYTES,
  FAILING_TOOL,
  FIRES,
  SUBAGENT,
  TOOLS,
  tokensSent,
} from './scenarios.js';
import {
  claudeHomeFolder,
  claudeHomeWithHooks,
  findClaudeCode,
  runScenario,
  storedEvents,
  type ClaudeHome,
  type HookForm,
  type ScenarioRun,
} from './session.js';
import { freePort } from '../doctor/sandbox.js';
import { get } from '../e2e/harness.js';
import { makeHome, type Home } from '../helpers/temp-home.js';
import { sessionsJson, startDaemon, type DaemonProcess } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

/** How each scenario's session ends: SessionEnd closes it, but a session whose last turn failed stays failed. */
const EXPECTED_STATE: Record<string, string> = {
  [TOOLS.name]: 'ended',
  [FAILING_TOOL.name]: 'ended',
  [API_ERROR.name]: 'failed',
  [SUBAGENT.name]: 'ended',
  [BIG_WRITE.name]: 'ended',
};

/** What Claude Code says (debug log, stream-json notifications) when it does not like a hook's answer. */
const HOOK_COMPLAINTS = /unrecognized keys|hook error|validation failed/i;

export function claudeCodeSuite(form: HookForm): void {
  const claude = findClaudeCode();
  const skip = claude.ok ? false : `the real Claude Code is not available: ${claude.reason}`;
  describe(`the real Claude Code with ${form} hooks`, { skip }, () => {
    let standIn: StandIn;
    let home: Home;
    let daemon: DaemonProcess;
    let claudeHome: ClaudeHome;
    const binary = claude.ok ? claude.path : '';

    before(async () => {
      standIn = await startStandIn();
      home = makeHome();
      // The daemon reads the transcripts Claude Code writes in its HOME (for the session figures).
      const claudeFolder = claudeHomeFolder();
      const daemonHome = { ...home, env: { ...home.env, CLAUDE_CONFIG_DIR: join(claudeFolder, '.claude') } };
      // The http form needs a fixed port (its URL is written into the settings).
      daemon = await startDaemon(daemonHome, ['--port', form === 'http' ? String(await freePort()) : '0']);
      claudeHome = claudeHomeWithHooks(home, form, daemon.token, claudeFolder);
    });
    after(async () => {
      process.kill(daemon.pid, 'SIGCONT');
      await daemon.stop();
      await standIn.close();
      claudeHome.remove();
      home.remove();
    });

    async function session(scenario: Scenario): Promise<ScenarioRun> {
      const run = await runScenario(binary, claudeHome, standIn, scenario, { debug: true });
      const fired = FIRES[scenario.name]!;
      const stored = await waitFor(
        () => {
          const events = storedEvents(home, run.sessionId);
          return events.length >= fired.length && events.some((event) => event.type === 'SessionEnd')
            ? events
            : null;
        },
        `${scenario.name}: ${fired.length} events stored`,
        15_000,
      );
      assertStoredAsFired(stored, fired, { sessionId: run.sessionId, cwd: run.cwd });
      await assertSessionFigures(run, scenario);
      if (form === 'http') {
        assert.match(run.debugLog, /HTTP hook response status 202/, 'Claude Code posted to the daemon');
        const complaint = HOOK_COMPLAINTS.exec(run.debugLog + run.stdout);
        assert.equal(complaint, null, `Claude Code complained about a hook answer: ${complaint?.[0]}`);
      }
      return run;
    }

    /** `sessions --json` says what the stand-in sent (model, tokens) and what happened (failures, state). */
    async function assertSessionFigures(run: ScenarioRun, scenario: Scenario): Promise<void> {
      const expected = tokensSent(scenario);
      const figures = await waitFor(
        () => {
          const found = sessionsJson(home).find((candidate) => candidate.sessionId === run.sessionId);
          return found && found.transcript.status === 'ok' && found.tokens.output === expected.output
            ? found
            : null;
        },
        `${scenario.name}: the session's figures from its transcript`,
        15_000,
      ).catch((error: unknown) => {
        const found = sessionsJson(home).find((candidate) => candidate.sessionId === run.sessionId);
        throw new Error(`${String(error)}\n${JSON.stringify(found, null, 2)}`);
      });
      // A session whose only request failed has no assistant message, so no model to tell.
      const answered = scenario.main.steps.some((step) => step.kind !== 'error');
      assert.equal(figures.model, answered ? scenario.main.model : null, 'model');
      assert.deepEqual(figures.tokens, expected, 'token totals');
      assert.equal(figures.state, EXPECTED_STATE[scenario.name], 'state');
      const failed = storedEvents(home, run.sessionId).filter((event) => event.type === 'PostToolUseFailure');
      assert.equal(figures.toolFailures, failed.length, 'tool failures');
    }

    test('a session with several tools: every event stored once, in order', async () => {
      const run = await session(TOOLS);
      assert.equal(run.code, 0, run.stderr);
    });

    test('a failing tool: PostToolUseFailure arrives with the error', async () => {
      const run = await session(FAILING_TOOL);
      const failure = storedEvents(home, run.sessionId).find((event) => event.type === 'PostToolUseFailure');
      assert.equal(typeof failure?.data.error, 'string');
      assert.equal(typeof failure?.data.tool_use_id, 'string');
    });

    test('an API error: StopFailure arrives, no Stop', async () => {
      const run = await session(API_ERROR);
      assert.notEqual(run.code, 0);
      const types = storedEvents(home, run.sessionId).map((event) => event.type);
      assert.ok(types.includes('StopFailure') && !types.includes('Stop'), types.join(' '));
    });

    test("a subagent: its events carry its agent_id, the main session's do not", async () => {
      const run = await session(SUBAGENT);
      const events = storedEvents(home, run.sessionId);
      const start = events.find((event) => event.type === 'SubagentStart');
      const stop = events.find((event) => event.type === 'SubagentStop');
      assert.equal(typeof start?.data.agent_id, 'string');
      assert.equal(stop?.data.agent_id, start?.data.agent_id);
      assert.equal(stop?.data.agent_type, 'general-purpose');
      assert.equal(events.find((event) => event.tool === 'Bash')?.data.agent_id, start?.data.agent_id);
      assert.equal(events.find((event) => event.tool === 'Agent')?.data.agent_id, undefined);
      const roles = standIn.requests.map((request) => request.role);
      assert.ok(roles.includes('subagent'), 'the subagent asked the stand-in itself');
    });

    test('a 1.4 MB Write: every event stored, the big ones cut to fit and saying so', async () => {
      const run = await session(BIG_WRITE);
      assert.equal(run.code, 0, run.stderr);
      const cut = inOccurrenceOrder(storedEvents(home, run.sessionId)).filter(
        (event) => event.truncated?.length,
      );
      assert.deepEqual(
        cut.map((event) => event.type),
        ['PreToolUse', 'PostToolUse', 'PostToolBatch'],
      );
      for (const event of cut)
        for (const field of event.truncated!) assert.equal(field.originalBytes, BIG_WRITE_BYTES, field.path);
      assert.equal((await get(daemon.port, '/health')).status, 200);
    });

    test("a hook call's cost beside a bare `node -e 0` hook (reported: a timing is never asserted)", async (t) => {
      const baselines = baselineHomes();
      try {
        const cost = await measureHookCost(
          binary,
          { ...baselines.homes, [form]: claudeHome },
          standIn,
          TOOLS,
          2,
        );
        const ours = cost.perCallMs[form]!;
        const bare = cost.perCallMs['node -e 0']!;
        t.diagnostic(
          `${form} hooks: ${ours.toFixed(1)} ms per hook call, a node -e 0 hook ${bare.toFixed(1)} ms ` +
            `(${(ours / bare).toFixed(2)}×; DESIGN: ≤ 1.25× for the command form)`,
        );
        // What was timed really went through mpm-mon: each of those sessions stored in full.
        for (const sessionId of cost.sessionIds[form]!)
          await waitFor(
            () => storedEvents(home, sessionId).length >= cost.hookCallsPerSession,
            `every event of timed session ${sessionId} stored`,
            15_000,
          );
      } finally {
        baselines.remove();
      }
    });

    test('a stalled daemon costs the session little (it accepts connections and never answers)', async (t) => {
      // Back to back, so that both see the same load on the machine.
      const healthy = await runScenario(binary, claudeHome, standIn, TOOLS);
      process.kill(daemon.pid, 'SIGSTOP');
      let stalled: ScenarioRun;
      try {
        stalled = await runScenario(binary, claudeHome, standIn, TOOLS);
      } finally {
        process.kill(daemon.pid, 'SIGCONT');
      }
      assert.equal(stalled.code, 0, stalled.stderr);
      const extra = stalled.ms - healthy.ms;
      t.diagnostic(
        `${form}: healthy ${Math.round(healthy.ms)} ms, stalled ${Math.round(stalled.ms)} ms, +${Math.round(extra)} ms`,
      );
      // The command form: one hook waits out its 200 ms and marks the daemon stalled, the others spool
      // at once; the http form: each of Claude Code's http hooks waits out its 0.1 s. A second or two on
      // a quiet machine; on a busy one, where the healthy session itself takes longer, that much again.
      const bound = Math.max(2500, healthy.ms);
      assert.ok(
        extra < bound,
        `a stalled daemon added ${Math.round(extra)} ms to a ${Math.round(healthy.ms)} ms session`,
      );
      if (form === 'command') {
        // Running again, the daemon drains what the hooks spooled and lifts the mark.
        const fired = FIRES[TOOLS.name]!;
        const stored = await waitFor(
          () => {
            const events = storedEvents(home, stalled.sessionId);
            return events.length >= fired.length ? events : null;
          },
          'the stalled session drained from the spool',
          20_000,
        );
        assertStoredAsFired(stored, fired, { sessionId: stalled.sessionId, cwd: stalled.cwd });
        await waitFor(() => !existsSync(join(home.path, 'hook-stalled')), 'the stall mark lifted', 20_000);
      }
    });
  });
}
