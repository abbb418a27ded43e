/**
 * Runs doctor's checks for the Troubleshoot view: once at start, then every `intervalMs` while the view
 * is shown, and at once when it is opened on findings older than that. A run is never started while
 * one is in progress. The checks read files and ask the daemon over HTTP: nothing here is on the
 * event path, and nothing runs while the view is hidden (the journal scan is not free).
 */
import { gatherFindings, type FindingsOptions } from '../doctor/findings.js';
import type { TuiStore } from './store.js';

export const FINDINGS_INTERVAL_MS = 10_000;

export function watchFindings(
  store: TuiStore,
  options: FindingsOptions,
  intervalMs = FINDINGS_INTERVAL_MS,
): () => void {
  let running = false;
  let stopped = false;
  let lastRun = 0;
  const run = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    lastRun = Date.now();
    try {
      const { report } = await gatherFindings(options);
      if (!stopped) store.dispatch({ type: 'findings', findings: { report, invoke: options.invoke } });
    } catch {
      // A check that throws is already a failed check; anything else keeps the last findings shown.
    } finally {
      running = false;
    }
  };
  const shown = () => store.getSnapshot().ui.view === 'troubleshoot';
  const stale = () => Date.now() - lastRun >= intervalMs;
  void run();
  let wasShown = shown();
  const unsubscribe = store.subscribe(() => {
    const now = shown();
    if (now && !wasShown && stale()) void run();
    wasShown = now;
  });
  const timer = setInterval(() => {
    if (shown() && stale()) void run();
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    unsubscribe();
  };
}
