/** `mpm-mon --daemon`: the daemon in the foreground, until a signal (or recovery's emergency stop). */
import { loadConfig } from '../config/load.js';
import { Daemon } from '../daemon/daemon.js';
import { reportFailure } from './main.js';

const STOP_SIGNALS: NodeJS.Signals[] =
  process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGTERM', 'SIGINT', 'SIGHUP'];

export async function runDaemonForeground({
  configFlags,
}: {
  configFlags: Record<string, unknown>;
}): Promise<number> {
  let daemon: Daemon;
  try {
    const { config, sources } = loadConfig({ flags: configFlags });
    daemon = new Daemon({ config, explicitPort: sources.port !== 'default', stderrLog: true });
  } catch (error) {
    return reportFailure(error, false, process.env.DEBUG !== undefined);
  }
  const stopped = new Promise<number>((resolve) => (daemon.options.onStopped = resolve));
  let requested: NodeJS.Signals | null = null;
  let started = false;
  const stopFor = (signal: NodeJS.Signals): void => {
    void daemon.stop({
      reason: signal === 'SIGHUP' ? 'restart requested' : `stopped by ${signal}`,
      restarting: signal === 'SIGHUP',
    });
  };
  // conf's atomic file writer hooks these signals and re-raises them on itself, which would look like
  // a second signal (= force). The daemon owns its signals.
  for (const signal of STOP_SIGNALS) process.removeAllListeners(signal);
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (requested) {
        daemon.logger?.warn('second signal: forcing exit', { signal });
        // The PID file then names a dead process: the next start (or `doctor --fix`) replaces it.
        process.exit(1);
      }
      requested = signal;
      if (started) stopFor(signal);
    });
  }
  process.on('uncaughtException', (error) => {
    daemon.logger?.error('uncaught exception; stopping', { error: String(error), stack: error.stack });
    void daemon.stop({ reason: 'internal error', restarting: false, exitCode: 1 });
  });
  process.on('unhandledRejection', (reason) => {
    daemon.logger?.error('unhandled rejection', { reason: String(reason) });
  });
  try {
    await daemon.start();
  } catch (error) {
    return reportFailure(error, false, process.env.DEBUG !== undefined);
  }
  started = true;
  // A signal that came during start-up stops the daemon now that there is something to stop.
  if (requested) stopFor(requested);
  return stopped;
}
