/** A session's detail (Enter on the Sessions view): its figures, the tool table, the subagent tree, the latest calls. */
import type { Session, ToolCall } from '../../protocol/session.js';
import {
  alignColumns,
  formatCost,
  formatMs,
  formatPercent,
  formatTokens,
  toolTableRows,
} from '../../sessions/format.js';
import { subagentTree } from '../../sessions/index.js';
import { clockTime, fit, formatAgo, wrapLine } from '../format.js';
import type { Line } from '../lines.js';
import { listedSessions } from '../state/session-list.js';
import type { TuiState } from '../state/tui-state.js';
import type { Theme } from '../theme.js';
import { stateColor, stateWord } from './sessions.js';

const RECENT_CALLS = 10;

function text(value: string, width: number, theme: Theme): Line {
  return [{ text: fit(value, width, theme.symbols.ellipsis) }];
}

function callLine(call: ToolCall, now: number, width: number, theme: Theme): Line {
  const status =
    call.status === 'running'
      ? `${theme.symbols.running} running ${formatMs(Math.max(0, now - call.startedAt))}`
      : call.status === 'failed'
        ? `${theme.symbols.fail} ${call.interrupted ? 'interrupted' : 'failed'} ${formatMs(call.durationMs)}`
        : `${theme.symbols.pass} ${formatMs(call.durationMs)}`;
  const where = call.agentId ? ` [${call.agentId}]` : '';
  const error = call.error ? ` · ${call.error}` : '';
  return [
    {
      text: fit(
        `  ${clockTime(new Date(call.startedAt).toISOString())} ${call.tool}${where} ${status}${error}`,
        width,
        theme.symbols.ellipsis,
      ),
      color: call.status === 'failed' ? 'red' : call.status === 'running' ? 'yellow' : undefined,
    },
  ];
}

export function sessionDetailLines(state: TuiState, sessionId: string, theme: Theme, width: number): Line[] {
  const session: Session | undefined = listedSessions(state).find((entry) => entry.sessionId === sessionId);
  if (!session) return [[{ text: ' this session is no longer known (Esc closes)', dim: true }]];
  const now = state.now;
  const lines: Line[] = [
    [
      { text: ` ${session.sessionId} `, bold: true },
      { text: stateWord(session, now, false), color: stateColor(session), bold: true },
      { text: session.waitingFor ? ` (${session.waitingFor})` : '' },
      { text: '  Esc closes · Enter shows its events', dim: true },
    ],
    text(` cwd ${session.cwd ?? '-'} · model ${session.model ?? '-'}`, width, theme),
    text(
      ` started ${clockTime(session.startedAt)} · last event ${formatAgo(now - Date.parse(session.lastEventAt))}`,
      width,
      theme,
    ),
    text(
      ` tokens ${formatTokens(session.tokens)} · cost ${formatCost(session.costUsd)} · context ${formatPercent(session.contextPercent)}`,
      width,
      theme,
    ),
    text(
      ` events ${session.events} · prompts ${session.prompts} · tool calls ${session.toolCalls} (${session.toolFailures} failed, ${session.toolsRunning} running)`,
      width,
      theme,
    ),
  ];
  if (session.lastError)
    for (const part of wrapLine(` last turn failed: ${session.lastError.error}`, Math.max(10, width)))
      lines.push([{ text: part, color: 'red' }]);
  if (session.transcript.status !== 'ok')
    lines.push([
      {
        text: fit(
          ` transcript: ${session.transcript.status}${session.transcript.reason ? ` (${session.transcript.reason})` : ''}`,
          width,
        ),
        dim: true,
      },
    ]);

  lines.push([], [{ text: ' Tools', bold: true }]);
  if (session.tools.length === 0) lines.push([{ text: '  no tool calls', dim: true }]);
  else {
    const [header, ...rows] = alignColumns(toolTableRows(session.tools));
    lines.push([{ text: fit(`  ${header}`, width), dim: true, bold: true }]);
    session.tools.forEach((tool, index) =>
      lines.push([{ text: fit(`  ${rows[index]!}`, width), color: tool.failures > 0 ? 'red' : undefined }]),
    );
  }

  lines.push([], [{ text: ' Subagents', bold: true }]);
  const record = state.sessions.byId.get(sessionId);
  const tree = record ? subagentTree(record) : session.subagents.map((agent) => ({ ...agent, depth: 0 }));
  if (tree.length === 0) lines.push([{ text: '  none', dim: true }]);
  for (const agent of tree)
    lines.push(
      text(
        `  ${'  '.repeat(agent.depth)}${theme.symbols.selected} ${agent.agentId} ${agent.agentType ?? '-'} · ${agent.state} · ${agent.toolCalls} tool call(s)`,
        width,
        theme,
      ),
    );

  if (record && record.calls.size > 0) {
    lines.push([], [{ text: ` Latest tool calls (of ${record.calls.size} this viewer holds)`, bold: true }]);
    const calls = [...record.calls.values()].slice(-RECENT_CALLS).reverse();
    for (const call of calls) lines.push(callLine(call, now, width, theme));
  }
  return lines;
}
