/**
 * Claude Code's hook events: every name its settings accept, read from the binary of the version
 * below. `install-hooks` registers all of them; the daemon still accepts any name (a newer Claude Code
 * may add some), so this list decides what we ask for, never what we take.
 */
export const CLAUDE_CODE_VERSION = '2.1.197';

export const HOOK_EVENT_NAMES = [
  'SessionStart',
  'Setup',
  'UserPromptSubmit',
  'UserPromptExpansion',
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
  'PostToolBatch',
  'Notification',
  'MessageDisplay',
  'Stop',
  'StopFailure',
  'SubagentStart',
  'SubagentStop',
  'PreCompact',
  'PostCompact',
  'TeammateIdle',
  'TaskCreated',
  'TaskCompleted',
  'Elicitation',
  'ElicitationResult',
  'ConfigChange',
  'WorktreeCreate',
  'WorktreeRemove',
  'InstructionsLoaded',
  'CwdChanged',
  'FileChanged',
  'SessionEnd',
] as const;
export type HookEventName = (typeof HOOK_EVENT_NAMES)[number];

/** Events Claude Code never sends to an `http` hook ("HTTP hooks are not supported for SessionStart"). */
export const NOT_OVER_HTTP: ReadonlySet<HookEventName> = new Set(['SessionStart', 'Setup']);

/** Events whose matcher is a tool name; we register `"*"` for them, no matcher for the others. */
export const TOOL_EVENTS: ReadonlySet<HookEventName> = new Set([
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
]);

/**
 * Bookkeeping: events that say nothing a person watching needs in the moment (a batch of tool calls
 * ended, a message was displayed, instructions or settings were read, a watched file changed). They
 * are stored and searchable like every event; the TUI folds them out of its main list by default.
 */
export const BOOKKEEPING_EVENTS: ReadonlySet<string> = new Set<HookEventName>([
  'PostToolBatch',
  'MessageDisplay',
  'InstructionsLoaded',
  'ConfigChange',
  'FileChanged',
]);
