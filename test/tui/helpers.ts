import type { MonEvent } from '../../source/protocol/event.js';
import type { HealthReport } from '../../source/protocol/health.js';

export const SESSION = '5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f';
const BASE = Date.parse('2025-06-01T10:00:00.000Z');

/** Payloads shaped like Claude Code's hooks (see the fixtures of real hook payloads). */
export const PAYLOADS: Record<string, Record<string, unknown>> = {
  SessionStart: { source: 'startup', model: 'claude-sonnet-4-5' },
  UserPromptSubmit: {
    prompt: 'Add a retry with exponential backoff to the payment client\nand run its tests',
  },
  PreToolUse: {
    tool_name: 'Bash',
    tool_input: { command: 'npm test -- payment-client', description: 'Run the payment client tests' },
    tool_use_id: 'toolu_01',
  },
  PostToolUse: {
    tool_name: 'Bash',
    tool_input: { command: 'npm test -- payment-client' },
    tool_response: { stdout: 'ok' },
    tool_use_id: 'toolu_01',
  },
  Notification: { message: 'Claude needs your permission to use Bash' },
  Stop: { stop_hook_active: false },
  SessionEnd: { reason: 'prompt_input_exit' },
};

let nextSeq = 1;
export function resetSeq(): void {
  nextSeq = 1;
}

export function makeEvent(
  type: string,
  overrides: Partial<MonEvent> = {},
  dataOverrides: Record<string, unknown> = {},
): MonEvent {
  const seq = overrides.seq ?? nextSeq++;
  const data: Record<string, unknown> = {
    hook_event_name: type,
    session_id: SESSION,
    cwd: '/home/dev/shop',
    ...PAYLOADS[type],
    ...dataOverrides,
  };
  return {
    seq,
    id: `id-${seq}`,
    receivedAt: new Date(BASE + seq * 1000).toISOString(),
    occurredAt: new Date(BASE + seq * 1000).toISOString(),
    type,
    sessionId: SESSION,
    source: 'hook',
    tool: typeof data.tool_name === 'string' ? data.tool_name : null,
    cwd: '/home/dev/shop',
    data,
    ...overrides,
  };
}

/** A session's worth of events in order. */
export function sessionEvents(): MonEvent[] {
  return ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification', 'Stop'].map(
    (type) => makeEvent(type),
  );
}

export function healthReport(
  status: 'pass' | 'warn' | 'fail',
  memoryMb: number,
  time = '2025-06-01T10:00:00.000Z',
): HealthReport {
  return {
    status,
    version: '0.1.0',
    uptimeSeconds: 3600,
    checks: {
      memoryMb: {
        name: 'memoryMb',
        status,
        observedValue: memoryMb,
        observedUnit: 'MB',
        threshold: { warn: 300, fail: 800 },
        output: status === 'pass' ? '' : `resident memory ${memoryMb} MB is above the ${status} level`,
        time,
      },
      eventLoopLagMs: {
        name: 'eventLoopLagMs',
        status: 'pass',
        observedValue: 2.5,
        observedUnit: 'ms',
        threshold: { warn: 100, fail: 1000 },
        output: '',
        time,
      },
    },
    breaker: { state: 'closed', failures: 0, nextTrialAt: null, openedAt: null },
  };
}

/** Lets React 19 and Ink apply an update (after a render or a key press). */
export function tick(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
