/**
 * A freshly started daemon's first health report is not a warning because starting blocked the event
 * loop: the real daemon, with an event-loop lag threshold every start-up crosses (1 ms).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startDaemon, type DaemonProcess } from '../helpers/daemon.js';
import { homesRemovedAfter } from '../helpers/temp-home.js';
import { waitFor } from '../helpers/wait.js';
import { httpJson } from '../../source/client/http-json.js';
import type { HealthReport } from '../../source/protocol/health.js';

const home = homesRemovedAfter();
const daemons: DaemonProcess[] = [];
after(async () => {
  for (const daemon of daemons) await daemon.stop();
});

test('the first reports after start pass, and say the lag they saw was start-up', async () => {
  const box = home();
  box.writeConfig({
    health: { intervalMs: 200, thresholds: { eventLoopLagMs: { warn: 1, fail: 100_000 } } },
  });
  const daemon = await startDaemon(box);
  daemons.push(daemon);
  // The first report that has run the checks (before the first run /health has none).
  const report = await waitFor(async () => {
    const answer = await httpJson(`http://127.0.0.1:${daemon.port}/health`, { timeoutMs: 5000 });
    const body = answer.body as HealthReport;
    return body.checks['process:eventLoopLag'] ? body : null;
  }, 'the first health run');
  const lag = report.checks['process:eventLoopLag']!;
  assert.equal(report.status, 'pass', JSON.stringify(report.checks, null, 2));
  assert.equal(lag.status, 'pass');
  if ((lag.observedValue ?? 0) > 1) assert.match(lag.output, /start-up/);
});
