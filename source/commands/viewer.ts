/**
 * `mpm-mon` with no command: attach to the daemon (starting it first unless --no-start) and show
 * the TUI — or, when stdout is not a terminal, the live stream as lines (NDJSON with --json).
 */
import { discoverDaemon, type DaemonAddress } from '../client/discover.js';
import { DaemonUnreachableError } from '../errors/connection-errors.js';
import { startDetached } from './lifecycle.js';

/** Events the TUI keeps in memory (and asks the daemon to replay on attach). */
const TUI_BUFFER_SIZE = 5000;

export interface ViewerOptions {
  json: boolean;
  color: boolean;
  ascii: boolean;
  start: boolean;
  configFlags: Record<string, unknown>;
}

async function findOrStart(options: ViewerOptions): Promise<DaemonAddress> {
  const found = discoverDaemon();
  if (found.ok && found.daemon.port > 0) return found.daemon;
  if (!options.start) throw new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 0 });
  await startDetached(options.configFlags);
  const started = discoverDaemon();
  if (!started.ok) throw new DaemonUnreachableError({ reason: 'not-running', host: '127.0.0.1', port: 0 });
  return started.daemon;
}

export async function runViewer(options: ViewerOptions): Promise<number> {
  const daemon = await findOrStart(options);
  if (!process.stdout.isTTY) {
    const { runPlainStream } = await import('../tui/plain.js');
    return runPlainStream({ ...daemon, json: options.json });
  }
  const { runTui } = await import('../tui/run.js');
  return runTui({ ...daemon, ascii: options.ascii, color: options.color, bufferSize: TUI_BUFFER_SIZE });
}
