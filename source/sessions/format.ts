/** Short texts for session figures, shared by `mpm-mon sessions` and the TUI. Pure. */
import type { TokenTotals, ToolStat } from '../protocol/session.js';

/** 950, 12.3k, 4.5M. */
export function formatCount(value: number): string {
  if (value < 1000) return String(Math.round(value));
  if (value < 1_000_000) return `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)}k`;
  return `${(value / 1_000_000).toFixed(value < 10_000_000 ? 1 : 0)}M`;
}

/** All tokens a session used (input, output, cache reads and writes). */
export function tokenSum(tokens: TokenTotals): number {
  return tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite;
}

/** `in 1.2k out 340 cache read 12k write 3.4k`, or its compact form `15k` (the sum). */
export function formatTokens(tokens: TokenTotals, compact = false): string {
  if (compact) return tokenSum(tokens) === 0 ? '-' : formatCount(tokenSum(tokens));
  return `in ${formatCount(tokens.input)} out ${formatCount(tokens.output)} cache read ${formatCount(tokens.cacheRead)} write ${formatCount(tokens.cacheWrite)}`;
}

/** `$0.42`, `$0.0031`, `-` when unknown. */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return '-';
  if (costUsd === 0) return '$0';
  if (costUsd < 0.01) return `$${costUsd.toFixed(4)}`;
  if (costUsd < 100) return `$${costUsd.toFixed(2)}`;
  return `$${Math.round(costUsd)}`;
}

export function formatPercent(percent: number | null): string {
  return percent === null ? '-' : `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** `claude-sonnet-4-5-20250929` → `sonnet-4-5`. */
export function shortModel(model: string | null): string {
  if (!model) return '-';
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/** Rows of cells as lines with aligned columns (the last column is not padded). */
export function alignColumns(rows: readonly (readonly string[])[], gap = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join(gap)
      .trimEnd(),
  );
}

/** The tool table: a header row, then one row per tool (calls, failures, p50, p95). */
export function toolTableRows(tools: readonly ToolStat[]): string[][] {
  const rows = [['TOOL', 'CALLS', 'FAILED', 'P50', 'P95']];
  for (const tool of tools)
    rows.push([
      tool.tool,
      String(tool.calls),
      String(tool.failures),
      formatMs(tool.p50Ms),
      formatMs(tool.p95Ms),
    ]);
  return rows;
}
