/**
 * The daemon's health, diagnostics and metrics, as one object the routes and the viewers ask.
 * (Interim: process and journal facts; the health monitor and recovery manager plug in here.)
 */
import type { CheckResult, HealthReport } from '../protocol/health.js';
import { VERSION } from '../protocol/version.js';
import type { Daemon } from './daemon.js';

export class DaemonHealth {
  constructor(private readonly daemon: Daemon) {}

  start(): void {}

  stop(): void {}

  latest(): HealthReport {
    const time = new Date().toISOString();
    const rssMb = Math.round((process.memoryUsage.rss() / 1024 / 1024) * 10) / 10;
    const stats = this.daemon.store.stats();
    const checks: Record<string, CheckResult> = {
      'process:memory': {
        name: 'process:memory',
        status: 'pass',
        observedValue: rssMb,
        observedUnit: 'MB',
        threshold: this.daemon.config.health.thresholds.memoryMb,
        output: `RSS ${rssMb} MB`,
        time,
      },
      'journal:writable': {
        name: 'journal:writable',
        status: stats.writable ? 'pass' : 'fail',
        observedValue: stats.writeErrors,
        observedUnit: 'errors',
        threshold: null,
        output: stats.writable ? 'journal writable' : 'the last journal write failed',
        time,
      },
    };
    const status = Object.values(checks).some((check) => check.status === 'fail') ? 'fail' : 'pass';
    return { status, version: VERSION, uptimeSeconds: this.daemon.uptimeSeconds(), checks };
  }

  async diagnostics(): Promise<unknown> {
    return {
      status: this.daemon.status(),
      store: this.daemon.store.stats(),
      spool: await this.daemon.spoolFigures(),
      viewers: this.daemon.listener.broadcaster.viewersInfo(),
      refusals: {
        byReason: this.daemon.counters.refusedByReason,
        recent: this.daemon.counters.recentRefusals(),
      },
    };
  }

  async metrics(): Promise<{ contentType: string; body: string }> {
    return Promise.resolve({ contentType: 'text/plain; version=0.0.4', body: '' });
  }
}
