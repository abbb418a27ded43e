/** One event as one readable line: `#seq time type session tool summary` (events command, plain stream). */
import type { MonEvent } from '../protocol/event.js';

const COLORS: Record<string, string> = {
  SessionStart: '32',
  SessionEnd: '90',
  UserPromptSubmit: '36',
  PreToolUse: '33',
  PostToolUse: '34',
  Notification: '35',
  Stop: '31',
  SubagentStop: '31',
  PreCompact: '90',
};

/** The most telling part of an event, on one line. */
export function summarize(event: MonEvent, maxLength = 120): string {
  const data = event.data;
  const input = (data.tool_input ?? {}) as Record<string, unknown>;
  const candidates = [
    input.command,
    input.file_path,
    input.path,
    input.pattern,
    input.url,
    input.description,
    data.prompt,
    data.message,
    data.source,
    data.reason,
    data.trigger,
  ];
  const text =
    candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '') ?? '';
  const line = text.split('\n')[0]!.trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}

export function formatEventLine(event: MonEvent, { color }: { color: boolean }): string {
  const time = event.receivedAt.slice(11, 19);
  const type = event.type.padEnd(16);
  const paint = (code: string | undefined, text: string): string =>
    color && code ? `\u001b[${code}m${text}\u001b[39m` : text;
  const parts = [`#${event.seq}`, time, paint(COLORS[event.type], type), event.sessionId.slice(0, 8)];
  if (event.tool) parts.push(event.tool);
  const summary = summarize(event);
  if (summary) parts.push(summary);
  return parts.join(' ');
}
