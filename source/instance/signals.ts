/**
 * Graceful stop on SIGTERM / SIGINT / SIGHUP: the first signal starts the shutdown once; a second one
 * while it runs means "now" and exits at once with 128 + the signal number, as shells expect.
 */
import { constants } from 'node:os';
import type { Logger } from './logger-types.js';

export interface ShutdownSignalOptions {
  onShutdown: (signal: NodeJS.Signals) => Promise<void> | void;
  logger: Logger;
  signals?: readonly NodeJS.Signals[];
  /** How to leave at once on the second signal (tests of the decision pass their own). */
  exit?: (code: number) => void;
}

export function defaultShutdownSignals(platform: NodeJS.Platform = process.platform): NodeJS.Signals[] {
  // Windows delivers only SIGINT (Ctrl+C) and SIGBREAK (Ctrl+Break) to a handler.
  return platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGTERM', 'SIGINT', 'SIGHUP'];
}

/** The conventional exit code after a signal: 128 + its number (SIGINT 130, SIGTERM 143). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  const number = (constants.signals as Partial<Record<NodeJS.Signals, number>>)[signal];
  return 128 + (number ?? 15);
}

/** Installs the handlers; returns a function that removes them. */
export function handleShutdownSignals(options: ShutdownSignalOptions): () => void {
  const { onShutdown, logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? defaultShutdownSignals();
  let shuttingDown = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn('second signal during shutdown; exiting now', { signal });
      exit(exitCodeForSignal(signal));
      return;
    }
    shuttingDown = true;
    logger.info('signal received; shutting down', { signal });
    Promise.resolve()
      .then(() => onShutdown(signal))
      .catch((error: unknown) => {
        logger.error('shutdown failed', { signal, error });
        exit(1);
      });
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
