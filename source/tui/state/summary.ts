/** One-line, human summaries of events: the command, the file, the prompt's first line. Pure. */
import type { MonEvent } from '../../protocol/event.js';

const MAX_SUMMARY = 300;

type Data = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function record(value: unknown): Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : {};
}

/** Collapses whitespace and control characters so a value fits on one line; cuts very long values. */
export function oneLine(value: string, max = MAX_SUMMARY): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function firstLine(value: string): string {
  const line = value.split(/\r?\n/).find((candidate) => candidate.trim() !== '') ?? '';
  return line;
}

/** A path shown relative to the session's cwd when it lies inside it. */
export function shortPath(path: string, cwd: string | null): string {
  if (cwd && path.startsWith(`${cwd}/`)) return path.slice(cwd.length + 1);
  return path;
}

function toolSummary(tool: string | null, input: Data, cwd: string | null): string {
  const path = text(input.file_path) ?? text(input.notebook_path) ?? text(input.path);
  switch (tool) {
    case 'Bash':
      return text(input.command) ?? '';
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return path ? shortPath(path, cwd) : '';
    case 'Grep':
    case 'Glob':
      return [text(input.pattern), path ? `in ${shortPath(path, cwd)}` : null].filter(Boolean).join(' ');
    case 'WebFetch':
      return text(input.url) ?? '';
    case 'WebSearch':
      return text(input.query) ?? '';
    case 'Task':
      return text(input.description) ?? text(input.prompt) ?? '';
    default: {
      const first =
        path ?? text(input.command) ?? text(input.description) ?? text(input.url) ?? text(input.pattern);
      if (first) return first;
      const json = JSON.stringify(input);
      return json === '{}' ? '' : json;
    }
  }
}

/** What the list shows after type, session and tool. */
export function summarize(event: MonEvent): string {
  const data = record(event.data);
  let summary: string;
  switch (event.type) {
    case 'PostToolUseFailure':
      summary = `${text(data.error) ?? 'failed'} · ${toolSummary(event.tool ?? text(data.tool_name), record(data.tool_input), event.cwd)}`;
      break;
    case 'StopFailure':
      summary = text(data.error) ?? 'the turn failed';
      break;
    case 'PreToolUse':
    case 'PostToolUse':
      summary = toolSummary(event.tool ?? text(data.tool_name), record(data.tool_input), event.cwd);
      break;
    case 'UserPromptSubmit':
      summary = firstLine(text(data.prompt) ?? '');
      break;
    case 'Notification':
      summary = text(data.message) ?? '';
      break;
    case 'SessionStart':
      summary = [text(data.source), text(data.model)].filter(Boolean).join(' · ');
      break;
    case 'SessionEnd':
      summary = text(data.reason) ?? '';
      break;
    case 'SubagentStop':
      summary = text(data.agent_id) ? `agent ${text(data.agent_id)}` : '';
      break;
    case 'PreCompact':
      summary = text(data.trigger) ?? '';
      break;
    default:
      summary = text(data.message) ?? '';
  }
  return oneLine(summary);
}
