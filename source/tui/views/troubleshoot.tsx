/**
 * View 5: doctor's findings. The viewer runs the same checks as `mpm-mon doctor` (doctor/findings.ts)
 * and shows their report; the only additions are what the viewer alone knows — its connection, a
 * shutdown it was told of, events it missed — said first, in the same shape and vocabulary.
 */
import { localizeCommand } from '../../errors/localize.js';
import { reportSummary, type ReportItem } from '../../errors/report.js';
import { clockTime, wrapWords } from '../format.js';
import type { Line } from '../lines.js';
import type { TuiState } from '../state/tui-state.js';
import { statusColor, type Theme } from '../theme.js';

/** What the viewer alone knows, as report items (commands said the way mpm-mon runs here). */
export function viewerItems(state: TuiState): ReportItem[] {
  const items: ReportItem[] = [];
  const { connection, shutdown } = state;
  if (shutdown && connection.kind !== 'connected') {
    items.push({
      severity: shutdown.restarting ? 'warn' : 'fail',
      title: `The daemon stopped: ${shutdown.reason}`,
      explanation: shutdown.restarting
        ? 'It said it is restarting; this viewer reconnects by itself and resumes where it left off.'
        : 'It is not coming back on its own. Start it again; this viewer reconnects and resumes with no gap.',
      steps: shutdown.restarting
        ? ['Wait a few seconds.']
        : ['Start the daemon.', 'If it stops again, read its log.'],
      commands: shutdown.restarting ? ['mpm-mon status'] : ['mpm-mon start', 'mpm-mon doctor'],
    });
  } else if (connection.kind === 'reconnecting') {
    items.push({
      severity: 'fail',
      title: 'Not connected to the daemon',
      explanation: `Attempt ${connection.attempt} failed${connection.error ? ` (${connection.error})` : ''}. Retrying with growing delays.`,
      steps: [
        'Check that the daemon runs.',
        'If it does not, start it.',
        'If the token was refused, restart the viewer.',
      ],
      commands: ['mpm-mon status', 'mpm-mon start', 'mpm-mon doctor'],
    });
  }
  if (state.missed > 0) {
    items.push({
      severity: 'warn',
      title: `${state.missed} events were missed across a reconnect`,
      explanation: 'The daemon could not replay them to this viewer; they are in its store.',
      steps: ['Query the daemon for the full history.'],
      commands: ['mpm-mon events --since 0'],
    });
  }
  const invoke = state.findings?.invoke ?? 'mpm-mon';
  return items.map((item) => ({
    ...item,
    steps: item.steps.map((step) => localizeCommand(step, invoke)),
    commands: item.commands.map((command) => localizeCommand(command, invoke)),
  }));
}

function itemLines(item: ReportItem, theme: Theme, inner: number): Line[] {
  const lines: Line[] = [
    [
      { text: ` ${theme.symbols[item.severity]} `, color: statusColor(item.severity) },
      { text: item.title, bold: true, color: statusColor(item.severity) },
    ],
  ];
  for (const text of wrapWords(item.explanation, inner)) lines.push([{ text: `   ${text}` }]);
  item.steps.forEach((step, index) => {
    wrapWords(`${index + 1}. ${step}`, inner).forEach((text, at) =>
      lines.push([{ text: `   ${at === 0 ? '' : '   '}${text}` }]),
    );
  });
  // Commands are never wrapped: they must stay copyable.
  for (const command of item.commands) lines.push([{ text: `   $ ${command}`, color: 'cyan' }]);
  lines.push([]);
  return lines;
}

export function troubleshootLines(state: TuiState, theme: Theme, width: number): Line[] {
  const inner = Math.max(10, width - 4);
  const { findings } = state;
  const notes = viewerItems(state);
  if (!findings) {
    return [
      [{ text: " Running doctor's checks…", dim: true }],
      [],
      ...notes.flatMap((item) => itemLines(item, theme, inner)),
    ];
  }
  const { report } = findings;
  const problems = [...notes, ...report.items];
  const lines: Line[] = [
    [
      { text: ` Troubleshooting: ${reportSummary({ items: problems })}`, bold: true },
      {
        text: ` ${theme.ascii ? '-' : '·'} checked ${clockTime(report.generatedAt)}, the same checks as doctor`,
        dim: true,
      },
    ],
    [],
  ];
  for (const item of problems) lines.push(...itemLines(item, theme, inner));
  if (report.fine.length > 0) {
    lines.push([{ text: ' What is fine:', bold: true }]);
    for (const fine of report.fine)
      wrapWords(fine, inner - 2).forEach((text, at) =>
        lines.push([{ text: at === 0 ? `  ${theme.symbols.pass} ` : '    ', color: 'green' }, { text }]),
      );
  }
  if (report.notChecked.length > 0) {
    lines.push([], [{ text: ' Not checked:', bold: true }]);
    for (const line of report.notChecked)
      wrapWords(line, inner - 2).forEach((text, at) =>
        lines.push([
          { text: at === 0 ? `  ${theme.ascii ? '-' : '·'} ` : '    ', dim: true },
          { text, dim: true },
        ]),
      );
  }
  return lines;
}
