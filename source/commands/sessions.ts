/** `mpm-mon sessions`: one row per Claude Code session (`--json`: one object per line; `--session ID`: detail). */
import { daemonUrl } from '../client/discover.js';
import { explainTlsFailure, requireDaemon } from './daemon-target.js';
import { httpJson } from '../client/http-json.js';
import { MpmError } from '../errors/base.js';
import type { SessionsAnswer } from '../protocol/messages.js';
import type { Session, ToolStat } from '../protocol/session.js';
import {
  alignColumns,
  formatCost,
  formatCount,
  formatMs,
  formatPercent,
  formatTokens,
  shortModel,
  toolTableRows,
} from '../sessions/format.js';

export interface SessionsOptions {
  json: boolean;
  session?: string;
  now?: number;
}

export async function runSessions(options: SessionsOptions): Promise<number> {
  const daemon = requireDaemon();
  const answer = await httpJson(`${daemonUrl(daemon)}/sessions`, {
    token: daemon.token,
    timeoutMs: 5000,
    ...(daemon.tls ? { tls: daemon.tls } : {}),
  }).catch((error: unknown) => {
    throw explainTlsFailure(error, daemon);
  });
  if (answer.status !== 200 || !isAnswer(answer.body))
    throw new MpmError(
      'SESSIONS_UNAVAILABLE',
      `the daemon did not list its sessions (HTTP ${answer.status})`,
      {
        context: { status: answer.status },
        steps: ['Run `mpm-mon doctor` to see what is wrong with the daemon.'],
      },
    );
  const { sessions } = answer.body;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  if (options.session !== undefined) {
    const session = pickSession(sessions, options.session);
    if (options.json) out(JSON.stringify(session));
    else for (const line of detailLines(session, options.now ?? Date.now())) out(line);
    return 0;
  }
  if (options.json) for (const session of sessions) out(JSON.stringify(session));
  else for (const line of tableLines(sessions, options.now ?? Date.now())) out(line);
  return 0;
}

function isAnswer(body: unknown): body is SessionsAnswer {
  return typeof body === 'object' && body !== null && Array.isArray((body as SessionsAnswer).sessions);
}

/** The session with this id, or the one whose id starts with it. */
export function pickSession(sessions: readonly Session[], id: string): Session {
  const exact = sessions.find((session) => session.sessionId === id);
  if (exact) return exact;
  const matches = sessions.filter((session) => session.sessionId.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  throw new MpmError(
    'UNKNOWN_SESSION',
    matches.length === 0
      ? `no session ${JSON.stringify(id)} (the daemon knows ${sessions.length})`
      : `${JSON.stringify(id)} is the start of ${matches.length} sessions: give more of the id`,
    {
      context: { session: id, known: sessions.length, matching: matches.length },
      steps: ['Run `mpm-mon sessions` for the ids, then `mpm-mon sessions --session ID`.'],
    },
  );
}

function ago(now: number, iso: string | null): string {
  if (!iso) return '-';
  return formatMs(Math.max(0, now - Date.parse(iso)));
}

export function stateText(session: Session, now: number): string {
  if (session.state === 'waiting') return `waiting ${ago(now, session.waitingSince)}`;
  return session.state;
}

export function tableLines(sessions: readonly Session[], now: number): string[] {
  if (sessions.length === 0) return ['no sessions yet'];
  const rows = [
    ['SESSION', 'STATE', 'MODEL', 'TOKENS', 'COST', 'CTX', 'TOOLS', 'FAIL', 'AGENTS', 'LAST', 'CWD'],
  ];
  for (const session of sessions)
    rows.push([
      session.sessionId.slice(0, 8),
      stateText(session, now),
      shortModel(session.model),
      formatTokens(session.tokens, true),
      formatCost(session.costUsd),
      formatPercent(session.contextPercent),
      String(session.toolCalls),
      String(session.toolFailures),
      String(session.subagents.length),
      `${ago(now, session.lastEventAt)} ago`,
      session.cwd ?? '-',
    ]);
  return alignColumns(rows);
}

export function toolTableLines(tools: readonly ToolStat[]): string[] {
  if (tools.length === 0) return ['  no tool calls'];
  return alignColumns(toolTableRows(tools)).map((line) => `  ${line}`);
}

export function detailLines(session: Session, now: number): string[] {
  const lines = [
    `session   ${session.sessionId}`,
    `state     ${stateText(session, now)}${session.waitingFor ? ` (${session.waitingFor})` : ''}`,
    `cwd       ${session.cwd ?? '-'}`,
    `model     ${session.model ?? '-'}`,
    `tokens    ${formatTokens(session.tokens)}`,
    `cost      ${formatCost(session.costUsd)}`,
    `context   ${formatPercent(session.contextPercent)}`,
    `started   ${session.startedAt}`,
    `last      ${session.lastEventAt} (${ago(now, session.lastEventAt)} ago)`,
    `events    ${session.events} · prompts ${session.prompts} · tool calls ${session.toolCalls} (${session.toolFailures} failed, ${session.toolsRunning} running)`,
  ];
  if (session.lastError) lines.push(`error     ${session.lastError.error} at ${session.lastError.at}`);
  if (session.transcript.status !== 'ok' || session.transcript.reason)
    lines.push(
      `transcript ${session.transcript.status}${session.transcript.reason ? `: ${session.transcript.reason}` : ''}`,
    );
  lines.push('', 'tools');
  lines.push(...toolTableLines(session.tools));
  lines.push('', 'subagents');
  if (session.subagents.length === 0) lines.push('  none');
  const depth = new Map<string, number>();
  for (const agent of session.subagents) {
    const level = agent.parentId !== null ? (depth.get(agent.parentId) ?? 0) + 1 : 0;
    depth.set(agent.agentId, level);
    lines.push(
      `  ${'  '.repeat(level)}${agent.agentId} ${agent.agentType ?? '-'} ${agent.state} · ${formatCount(agent.toolCalls)} tool calls`,
    );
  }
  return lines;
}
