import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFields, Logger } from '../../source/instance/logger-types.js';
import { openJournalStore, type JournalStore, type JournalStoreOptions } from '../../source/store/index.js';
import type { EventDraft } from '../../source/store/types.js';
import type { MonEvent } from '../../source/protocol/event.js';

export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mpm-mon-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function draft(n: number, overrides: Partial<EventDraft> = {}): EventDraft {
  return {
    id: `id-${n}`,
    receivedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n % 60)).toISOString(),
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n % 60)).toISOString(),
    type: n % 2 === 0 ? 'PreToolUse' : 'PostToolUse',
    sessionId: `session-${n % 3}`,
    source: 'hook',
    tool: 'Bash',
    cwd: '/project',
    data: { n, command: `echo ${n}`, note: 'ü€𝄞' },
    ...overrides,
  };
}

export function drafts(from: number, count: number): EventDraft[] {
  return Array.from({ length: count }, (_, index) => draft(from + index));
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: LogFields;
}

export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record =
    (level: LogEntry['level']) =>
    (message: string, fields?: LogFields): void => {
      entries.push({ level, message, fields });
    };
  return {
    entries,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

export function openTestStore(
  dir: string,
  overrides: Partial<JournalStoreOptions> = {},
): Promise<JournalStore> {
  return openJournalStore({
    dir,
    ringSize: 100,
    segmentBytes: 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
    logger: recordingLogger(),
    ...overrides,
  });
}

export function seqsOf(events: readonly MonEvent[]): number[] {
  return events.map((event) => event.seq);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}
