/**
 * `mpm-mon` with no command: attach to the daemon (starting it first unless --no-start) and show
 * the TUI — or, when stdout is not a terminal, the live stream as lines (NDJSON with --json).
 */
import { discoverDaemon, type DaemonAddress } from '../client/discover.js';
import { findDaemon } from './daemon-target.js';
import { currentPlatform, isMpmError } from '../errors/base.js';
import { DaemonUnreachableError } from '../errors/connection-errors.js';
import { loadConfig } from '../config/load.js';
import { startDetached } from './lifecycle.js';

/** Events the TUI keeps in memory (and asks the daemon to replay on attach). */
const TUI_BUFFER_SIZE = 5000;

export interface ViewerOptions {
  json: boolean;
  color: boolean;
  ascii: boolean;
  start: boolean;
  /** SGR mouse reporting in the TUI (`--no-mouse` turns it off). */
  mouse: boolean;
  /** `--notify`: tell when a session starts waiting (how: the config key `notify`, else the bell). */
  notify: boolean;
  configFlags: Record<string, unknown>;
}

async function findOrStart(options: ViewerOptions): Promise<DaemonAddress> {
  const found = findDaemon();
  // A daemon on another machine (`url`) is never started here.
  if (found && (found.port > 0 || found.remote)) return found;
  // An invalid setting is reported as itself, not as a daemon that failed to start.
  const { config } = loadConfig({ flags: options.configFlags });
  const notRunning = new DaemonUnreachableError({
    reason: 'not-running',
    host: config.host,
    port: config.port,
  });
  if (!options.start) throw notRunning;
  await startDetached(options.configFlags);
  const started = discoverDaemon();
  if (!started.ok) throw notRunning;
  return started.daemon;
}

export async function runViewer(options: ViewerOptions): Promise<number> {
  let daemon: DaemonAddress;
  try {
    daemon = await findOrStart(options);
  } catch (error) {
    if (!isMpmError(error)) throw error;
    // Nothing to attach to: the guided report says why and what to type, instead of an empty screen.
    const { buildReport } = await import('../errors/report.js');
    const { renderReportText } = await import('../errors/report-text.js');
    const { detectTextStyle } = await import('../errors/text-style.js');
    const { invocation } = await import('../instance/invocation.js');
    const report = buildReport({
      platform: currentPlatform(),
      errors: [error],
      invoke: invocation().command,
    });
    const style = detectTextStyle({
      ascii: options.ascii,
      color: options.color,
      env: process.env,
      stream: process.stderr,
    });
    process.stderr.write(`${renderReportText(report, style)}\n`);
    return 1;
  }
  if (!process.stdout.isTTY) {
    const { runPlainStream } = await import('../tui/plain.js');
    return runPlainStream({ ...daemon, json: options.json });
  }
  const { runTui } = await import('../tui/run.js');
  const rediscover = () => {
    const found = discoverDaemon();
    return found.ok ? found.daemon : null;
  };
  const configured = loadConfig({ flags: options.configFlags }).config.notify;
  const notify = options.notify && configured === 'off' ? 'bell' : configured;
  const { homedir } = await import('node:os');
  const { invocation } = await import('../instance/invocation.js');
  return runTui({
    ...daemon,
    doctor: { env: process.env, cwd: process.cwd(), homeDir: homedir(), invoke: invocation().command },
    ascii: options.ascii,
    color: options.color,
    bufferSize: TUI_BUFFER_SIZE,
    mouse: options.mouse,
    rediscover,
    notify,
  });
}
