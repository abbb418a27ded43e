/** Doctor's text output: one line per check, the fix under each problem, the guide, the login hint. */
import type { Platform } from '../errors/base.js';
import type { LoginServiceHint } from '../errors/platform-commands.js';
import type { TroubleshootingReport } from '../errors/report.js';
import { renderReportText } from '../errors/report-text.js';
import { localizeCommand } from '../errors/localize.js';
import { bold, dim, mark, paint, toAscii, wrap, type TextStyle } from '../errors/text-style.js';
import type { Invocation } from '../instance/invocation.js';
import type { CheckOutcome, DoctorJson, RepairReport } from './types.js';

export interface DoctorTextInput {
  checks: CheckOutcome[];
  summary: DoctorJson['summary'];
  repairs?: RepairReport[];
  report: TroubleshootingReport;
  hint: LoginServiceHint;
  platform: Platform;
  header: string;
  verbose: boolean;
  /** The daemon's log file. */
  logFile: string;
  /** How mpm-mon runs here, and how to put it on PATH when it is not (instance/invocation.ts). */
  invocation: Invocation;
}

/** A check that could not run is neither a pass nor a problem: it gets a neutral mark, not a ✓. */
function checkMark(check: CheckOutcome, style: TextStyle): string {
  if (check.status === 'pass' && check.details?.skipped === true)
    return paint(style.ascii ? '-' : '·', 2, style);
  return mark(check.status, style);
}

function detailLines(details: Record<string, unknown>, width: number): string[] {
  return Object.entries(details)
    .filter(([, value]) => value !== undefined && value !== null)
    .flatMap(([key, value]) =>
      wrap(
        `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
        width,
        '      ',
        '        ',
      ),
    );
}

export function renderDoctorText(input: DoctorTextInput, style: TextStyle): string {
  const { width } = style;
  const plain = (text: string) => (style.ascii ? toAscii(text) : text);
  const labelWidth = Math.min(24, Math.max(...input.checks.map((check) => check.label.length)) + 2);
  const out: string[] = [bold(plain(input.header), style), plain(`log: ${input.logFile}`)];
  const { invocation } = input;
  if (!invocation.onPath) {
    out.push(
      ...wrap(
        plain(
          `mpm-mon is not on PATH: run it here as \`${invocation.command}\`` +
            (invocation.putOnPath ? `, or put it on PATH with \`${invocation.putOnPath}\`` : ''),
        ),
        width,
        '',
        '  ',
      ),
    );
  }
  out.push('');

  if (input.repairs && input.repairs.length > 0) {
    out.push('Repairs:');
    for (const repair of input.repairs) {
      const kind = repair.outcome === 'done' ? 'pass' : repair.outcome === 'failed' ? 'fail' : 'warn';
      const [head = '', ...tail] = wrap(
        plain(`${repair.description}: ${repair.outcome} - ${repair.message}`),
        width,
        '    ',
        '      ',
      );
      out.push(`  ${mark(kind, style)} ${head.slice(4)}`, ...tail);
    }
    out.push('', 'After the repairs:', '');
  }

  for (const check of input.checks) {
    const label = check.label.padEnd(labelWidth);
    const [head = '', ...tail] = wrap(
      plain(check.message),
      width,
      ' '.repeat(2 + labelWidth),
      ' '.repeat(2 + labelWidth),
    );
    out.push(`${checkMark(check, style)} ${label}${head.slice(2 + labelWidth)}`, ...tail);
    if (check.status !== 'pass' && check.fix)
      out.push(
        ...wrap(plain(`fix: ${localizeCommand(check.fix, invocation.command)}`), width, '    ', '         '),
      );
    if (input.verbose && check.details) out.push(...detailLines(check.details, width).map(plain));
  }
  const { warn, fail } = input.summary;
  const skipped = input.checks.filter(
    (check) => check.status === 'pass' && check.details?.skipped === true,
  ).length;
  const pass = input.summary.pass - skipped;
  out.push(
    '',
    `${pass} passed, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failure${fail === 1 ? '' : 's'}` +
      (skipped > 0 ? `, ${skipped} not checked` : ''),
  );

  if (input.report.items.length > 0)
    out.push('', renderReportText({ ...input.report, fine: [] }, style).trimEnd());

  const { hint } = input;
  out.push('', dim(`Keep the daemon running at login (${hint.manager}):`, style));
  if (hint.file) {
    if (input.verbose) {
      out.push(
        `  write ${plain(hint.file.path)}:`,
        ...hint.file.contents
          .trimEnd()
          .split('\n')
          .map((line) => `    ${plain(line)}`),
      );
    } else
      out.push(
        `  write ${hint.file.path} (its text: ${localizeCommand('mpm-mon doctor --verbose', invocation.command)}), then:`,
      );
  }
  for (const command of hint.commands.slice(0, input.verbose ? undefined : 2))
    out.push(`    $ ${plain(command)}`);
  if (input.verbose) for (const note of hint.notes) out.push(...wrap(plain(note), width, '  '));
  return `${out.join('\n')}\n`;
}
