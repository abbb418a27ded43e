/** The troubleshooting report as text for a terminal (doctor, the CLI) or as JSON. */
import { reportSummary, type TroubleshootingReport } from './report.js';
import { bold, dim, mark, toAscii, wrap, type TextStyle } from './text-style.js';

export function reportToJson(report: TroubleshootingReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Text for a terminal: wrapped to `style.width`, ✓ ! ✗ (or + ! x), coloured only if allowed. */
export function renderReportText(report: TroubleshootingReport, style: TextStyle): string {
  const { width } = style;
  const plain = (text: string) => (style.ascii ? toAscii(text) : text);
  const out: string[] = [];
  out.push(
    bold(`Troubleshooting: ${reportSummary(report)}`, style),
    dim(`(${report.platform}, ${report.generatedAt})`, style),
  );
  for (const item of report.items) {
    out.push('');
    const [head = '', ...tail] = wrap(plain(item.title), width, '  ', '    ');
    out.push(`${mark(item.severity, style)} ${bold(head.slice(2), style)}`, ...tail);
    if (item.explanation) out.push(...wrap(plain(item.explanation), width, '    '));
    if (item.steps.length > 0) {
      out.push('    To fix:');
      item.steps.forEach((step, index) => {
        const number = `${index + 1}. `;
        out.push(...wrap(plain(step), width, `      ${number}`, `      ${' '.repeat(number.length)}`));
      });
    }
    if (item.commands.length > 0) {
      out.push(`    Commands (${report.platform}):`);
      // Commands are never wrapped: they must stay copyable.
      for (const command of item.commands) out.push(`      $ ${plain(command)}`);
    }
  }
  if (report.fine.length > 0) {
    out.push('', 'What is fine:');
    for (const line of report.fine) {
      const [head = '', ...tail] = wrap(plain(line), width, '    ', '    ');
      out.push(`  ${mark('pass', style)} ${head.slice(4)}`, ...tail);
    }
  }
  return `${out.join('\n')}\n`;
}
