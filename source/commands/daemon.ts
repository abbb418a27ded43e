/** `mpm-mon --daemon`: the daemon in the foreground, until a signal (or recovery's emergency stop). */
import { loadConfig } from '../config/load.js';
import { Daemon } from '../daemon/daemon.js';
import { reportFailure } from './main.js';

/** Exit code after an emergency stop by the recovery manager: a supervisor should restart us clean. */
export const EXIT_EMERGENCY = 75;

export async function runDaemonForeground({
  configFlags,
}: {
  configFlags: Record<string, unknown>;
}): Promise<number> {
  let daemon: Daemon;
  try {
    const { config, sources } = loadConfig({ flags: configFlags });
    daemon = new Daemon({ config, explicitPort: sources.port !== 'default', stderrLog: true });
    await daemon.start();
  } catch (error) {
    return reportFailure(error, false, process.env.DEBUG !== undefined);
  }
  return new Promise<number>((resolve) => {
    daemon.options.onStopped = (code) => resolve(code);
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        daemon.logger.warn('second signal: forcing exit', { signal });
        // The PID file names a dead process now; the next start (or `doctor --fix`) removes it.
        process.exit(1);
      }
      void daemon.stop({
        reason: signal === 'SIGHUP' ? 'restart requested' : `stopped by ${signal}`,
        restarting: signal === 'SIGHUP',
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('SIGHUP', onSignal);
    process.on('uncaughtException', (error) => {
      daemon.logger.error('uncaught exception; stopping', { error: String(error), stack: error.stack });
      void daemon.stop({ reason: 'internal error', restarting: false, exitCode: 1 });
    });
    process.on('unhandledRejection', (reason) => {
      daemon.logger.error('unhandled rejection', { reason: String(reason) });
    });
  });
}
