/**
 * View 5: the guided troubleshooting report. What the viewer alone knows (the connection, a shutdown,
 * events it missed) is said here; health, breaker and recovery findings come from the report generator
 * that `mpm-mon doctor` uses too (source/errors/report.ts).
 */
import { currentPlatform } from '../../errors/base.js';
import { buildReport } from '../../errors/report.js';
import { wrapWords } from '../format.js';
import type { Line } from '../lines.js';
import type { TuiState } from '../state/tui-state.js';
import { statusColor, type Theme } from '../theme.js';

export type TroubleshootSeverity = 'error' | 'warning' | 'info';

export interface TroubleshootItem {
  severity: TroubleshootSeverity;
  title: string;
  explanation: string;
  steps: readonly string[];
  /** Commands for this platform, shown as `$ command`. */
  commands: readonly string[];
}

/** What a report generator gets from the TUI. */
export type TroubleshootSource = (state: TuiState) => readonly TroubleshootItem[];

const SEVERITY_STATUS = { error: 'fail', warning: 'warn', info: 'info' } as const;

export function basicReport(state: TuiState): TroubleshootItem[] {
  const items: TroubleshootItem[] = [];
  const connection = state.connection;
  const platform = currentPlatform();
  const logHint =
    platform === 'win32' ? 'type "%LOCALAPPDATA%\\mpm-mon\\logs\\daemon.log"' : 'mpm-mon doctor';
  if (state.shutdown && connection.kind !== 'connected') {
    items.push({
      severity: state.shutdown.restarting ? 'warning' : 'error',
      title: `The daemon stopped: ${state.shutdown.reason}`,
      explanation: state.shutdown.restarting
        ? 'It said it is restarting; this viewer reconnects by itself and resumes where it left off.'
        : 'It is not coming back on its own. Start it again; this viewer reconnects and resumes with no gap.',
      steps: state.shutdown.restarting
        ? ['Wait a few seconds.']
        : ['Start the daemon.', 'If it stops again, read its log.'],
      commands: state.shutdown.restarting ? ['mpm-mon status'] : ['mpm-mon start', logHint],
    });
  } else if (connection.kind === 'reconnecting' || connection.kind === 'connecting') {
    items.push({
      severity: connection.kind === 'connecting' ? 'info' : 'error',
      title: connection.kind === 'connecting' ? 'Connecting to the daemon' : 'Not connected to the daemon',
      explanation:
        connection.kind === 'reconnecting'
          ? `Attempt ${connection.attempt} failed${connection.error ? ` (${connection.error})` : ''}. Retrying with growing delays.`
          : 'Waiting for the first answer.',
      steps: [
        'Check that the daemon runs.',
        'If it does not, start it.',
        'If the token was refused, restart the viewer.',
      ],
      commands: ['mpm-mon status', 'mpm-mon start', 'mpm-mon doctor'],
    });
  }
  // Health, breaker and recovery findings come from the one report generator, as in `mpm-mon doctor`.
  const report = buildReport({
    platform,
    diagnostics: state.health ? { health: state.health } : undefined,
    recoveries: [...state.recovery],
  });
  for (const item of report.items) {
    if (item.severity === 'pass') continue;
    items.push({
      severity: item.severity === 'fail' ? 'error' : 'warning',
      title: item.title,
      explanation: item.explanation,
      steps: item.steps,
      commands: item.commands,
    });
  }
  if (state.missed > 0 || state.buffer.dropped > 0) {
    items.push({
      severity: 'info',
      title: 'Some events are not in this view',
      explanation: `${state.missed} missed across a reconnect, ${state.buffer.dropped} pushed out of the viewer buffer (its size is ${state.buffer.capacity}).`,
      steps: ['Query the daemon for the full history.'],
      commands: ['mpm-mon events --since 0'],
    });
  }
  if (items.length === 0) {
    items.push({
      severity: 'info',
      title: 'Nothing to fix',
      explanation: 'Connected, and every health check passes.',
      steps: [],
      commands: ['mpm-mon doctor'],
    });
  }
  return items;
}

export function troubleshootLines(items: readonly TroubleshootItem[], theme: Theme, width: number): Line[] {
  const lines: Line[] = [];
  const inner = Math.max(10, width - 4);
  for (const item of items) {
    const status = SEVERITY_STATUS[item.severity];
    lines.push([
      { text: ` ${theme.symbols[status]} `, color: statusColor(status) },
      { text: item.title, bold: true, color: statusColor(status) },
    ]);
    for (const text of wrapWords(item.explanation, inner)) lines.push([{ text: `   ${text}` }]);
    item.steps.forEach((step, index) => {
      wrapWords(`${index + 1}. ${step}`, inner).forEach((text, at) =>
        lines.push([{ text: `   ${at === 0 ? '' : '   '}${text}` }]),
      );
    });
    for (const command of item.commands) lines.push([{ text: `   $ ${command}`, color: 'cyan' }]);
    lines.push([]);
  }
  return lines;
}
