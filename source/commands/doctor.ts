/**
 * `mpm-mon doctor`: every check with ✓ ! ✗, the troubleshooting guide for what is wrong with the
 * commands for this platform, and how to keep the daemon running at login. Changes nothing unless
 * `--fix` (then: stale PID file, token permissions; with `--start` the spool, with `--hooks` the
 * hooks), after which the checks run again. Exit 0 when nothing failed (warnings allowed), else 1.
 */
import { homedir } from 'node:os';
import { loginServiceHint } from '../errors/platform-commands.js';
import { detectTextStyle } from '../errors/text-style.js';
import { VERSION } from '../protocol/version.js';
import { invocation } from '../instance/invocation.js';
import { allChecks } from '../doctor/checks/index.js';
import { gatherFindings } from '../doctor/findings.js';
import { renderDoctorText } from '../doctor/render.js';
import { runRepairs, summarize, toCheckJson } from '../doctor/run.js';
import type { DoctorJson, RepairReport } from '../doctor/types.js';
import { cliScriptPath } from '../instance/installation.js';

export interface DoctorOptions {
  json: boolean;
  fix: boolean;
  /** With --fix: start the daemon to drain a leftover spool. */
  start: boolean;
  /** With --fix: install missing Claude Code hooks (user scope). */
  hooks: boolean;
  verbose: boolean;
  ascii: boolean;
  /** false for --no-color; true forces colour; undefined decides from the terminal and NO_COLOR. */
  color?: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  homeDir?: string;
  /** Config flags given on the command line (--port, --host), checked like the daemon would. */
  flags?: Record<string, unknown>;
  /** Where output goes (default: process.stdout). */
  stdout?: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Bound on each network probe (default 1500 ms). */
  timeoutMs?: number;
  /** The command that starts the daemon (default: this Node running this installation's `cli.js start`). */
  startCommand?: string[];
}

function defaultStartCommand(): string[] | undefined {
  const cli = cliScriptPath();
  return cli ? [process.execPath, cli, 'start'] : undefined;
}

export async function runDoctor(options: DoctorOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const homeDir = options.homeDir ?? homedir();
  const startCommand = options.startCommand ?? defaultStartCommand();
  const here = invocation(options.env);
  const findingsOptions = {
    env: options.env,
    cwd: options.cwd,
    homeDir,
    flags: options.flags,
    timeoutMs: options.timeoutMs,
    specs: allChecks({ startCommand }),
    invoke: here.command,
  };

  let findings = await gatherFindings(findingsOptions);
  let repairs: RepairReport[] | undefined;
  if (options.fix) {
    repairs = await runRepairs(findings.checks, { start: options.start, hooks: options.hooks });
    if (repairs.some((repair) => repair.outcome === 'done')) findings = await gatherFindings(findingsOptions);
  }
  const { checks, ctx, report } = findings;
  const summary = summarize(checks);

  if (options.json) {
    const json: DoctorJson = { checks: checks.map(toCheckJson), summary, ...(repairs ? { repairs } : {}) };
    stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const style = detectTextStyle({
      ascii: options.ascii,
      color: options.color,
      env: options.env,
      stream: stdout,
    });
    const hint = loginServiceHint(ctx.platform, {
      execPath: process.execPath,
      cliPath: cliScriptPath() ?? 'mpm-mon',
      home: options.env.MPM_MON_HOME,
      logFile: ctx.paths.logFile,
    });
    const header = `mpm-mon doctor - mpm-mon ${VERSION}, Node.js ${ctx.nodeVersion}, ${ctx.platform}, home ${ctx.paths.home}`;
    stdout.write(
      renderDoctorText(
        {
          checks,
          summary,
          repairs,
          report,
          hint,
          platform: ctx.platform,
          header,
          verbose: options.verbose,
          logFile: ctx.paths.logFile,
          invocation: here,
        },
        style,
      ),
    );
  }
  return summary.fail > 0 ? 1 : 0;
}
