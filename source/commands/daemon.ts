/** `mpm-mon --daemon`: the daemon in the foreground, until a signal (or recovery's emergency stop). */
import { loadConfig } from '../config/load.js';
import { Daemon } from '../daemon/daemon.js';
import type { Logger } from '../instance/logger-types.js';
import { parentPidFrom, watchParent } from '../instance/parent-watch.js';
import { defaultShutdownSignals, handleShutdownSignals } from '../instance/signals.js';
import { reportFailure } from './report-failure.js';

export async function runDaemonForeground({
  configFlags,
}: {
  configFlags: Record<string, unknown>;
}): Promise<number> {
  let daemon: Daemon;
  let parentPid: number | null;
  try {
    parentPid = parentPidFrom(process.env);
    const { config, sources, file } = loadConfig({ flags: configFlags });
    daemon = new Daemon({
      config,
      sources,
      configFile: file,
      explicitPort: sources.port !== 'default',
      stderrLog: true,
    });
  } catch (error) {
    return reportFailure(error, false, process.env.DEBUG !== undefined);
  }
  const stopped = new Promise<number>((resolve) => (daemon.options.onStopped = resolve));
  let requested: NodeJS.Signals | null = null;
  let started = false;
  const stopFor = (signal: NodeJS.Signals): Promise<void> =>
    daemon.stop({
      reason: signal === 'SIGHUP' ? 'restart requested' : `stopped by ${signal}`,
      restarting: signal === 'SIGHUP',
    });
  // conf's atomic file writer hooks these signals and re-raises them on itself, which would look like
  // a second signal (= stop now). The daemon owns its signals.
  for (const signal of defaultShutdownSignals()) process.removeAllListeners(signal);
  handleShutdownSignals({
    logger: forwardTo(() => daemon.logger),
    // A second signal exits at once (128 + its number), but never leaves the PID file behind.
    exit: (code) => {
      daemon.releasePidFileSync();
      process.exit(code);
    },
    // A signal during start-up stops the daemon once there is something to stop.
    onShutdown: (signal) => (started ? stopFor(signal) : void (requested = signal)),
  });
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
  if (requested) void stopFor(requested);
  // Nothing left to wait for while the daemon has not stopped (it would exit with Node's 13, PID file
  // left behind): stop it properly, as an internal error.
  process.on('beforeExit', () => {
    if (!daemon.isStopping) {
      daemon.logger.error('nothing left to serve; stopping');
      void daemon.stop({ reason: 'internal error: nothing left to serve', restarting: false, exitCode: 1 });
    }
  });
  if (parentPid !== null)
    watchParent(parentPid, () => void daemon.stop({ reason: `parent process ${parentPid} is gone` }));
  return stopped;
}

/** The daemon's logger once it exists (start-up creates it), silence before. */
function forwardTo(current: () => Logger | undefined): Logger {
  return {
    debug: (message, fields) => current()?.debug(message, fields),
    info: (message, fields) => current()?.info(message, fields),
    warn: (message, fields) => current()?.warn(message, fields),
    error: (message, fields) => current()?.error(message, fields),
  };
}
