/** Pairs PreToolUse with PostToolUse by tool_use_id to give each tool call its duration. Bounded. */
import type { MonEvent } from '../../protocol/event.js';
import { toolUseId } from './summary.js';

export interface ToolCall {
  startedAt: number;
  /** null while the tool runs (no PostToolUse yet). */
  durationMs: number | null;
}

export interface ToolPairs {
  readonly calls: ReadonlyMap<string, ToolCall>;
  readonly limit: number;
}

export function createToolPairs(limit: number): ToolPairs {
  return { calls: new Map(), limit };
}

export function pairTools(pairs: ToolPairs, events: readonly MonEvent[]): ToolPairs {
  let calls: Map<string, ToolCall> | null = null;
  for (const event of events) {
    if (event.type !== 'PreToolUse' && event.type !== 'PostToolUse') continue;
    const id = toolUseId(event);
    if (!id) continue;
    calls ??= new Map(pairs.calls);
    const at = Date.parse(event.receivedAt);
    if (event.type === 'PreToolUse') {
      if (!calls.has(id)) calls.set(id, { startedAt: at, durationMs: null });
    } else {
      const started = calls.get(id);
      if (started) {
        calls.delete(id); // re-insert: Map order is the eviction order
        calls.set(id, { startedAt: started.startedAt, durationMs: Math.max(0, at - started.startedAt) });
      }
    }
  }
  if (!calls) return pairs;
  for (const key of calls.keys()) {
    if (calls.size <= pairs.limit) break;
    calls.delete(key);
  }
  return { calls, limit: pairs.limit };
}

/** The paired call for a tool event, if its tool_use_id is known. */
export function toolCallOf(pairs: ToolPairs, event: MonEvent): ToolCall | null {
  const id = toolUseId(event);
  return id ? (pairs.calls.get(id) ?? null) : null;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
