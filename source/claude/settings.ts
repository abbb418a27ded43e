/**
 * Claude Code's settings.json and mpm-mon's place in it, as pure functions over plain objects.
 *
 * Shape: `{"hooks": {"<Event>": [{"matcher": "*", "hooks": [{"type": "command", "command": "…"}]}]}}`.
 * Tool events (TOOL_EVENTS) take a `matcher`; we register `"*"`. The others match everything when
 * the matcher is left out, so ours has none. The http form posts to `/events?from=claude-code` (the
 * daemon answers Claude Code in a shape it accepts), except for the events Claude Code never sends
 * over http (NOT_OVER_HTTP), which get the command form.
 *
 * Our entries are recognised by what they do, not by an extra marker key (Claude Code validates
 * settings, and a foreign key could get the whole file rejected):
 * - command form: a command running `mpm-mon hook` (the bin, or `node …mpm-mon…/mpm-mon.cjs hook`), or
 *   exactly the command this installation would register;
 * - http form: a POST to `…/events` whose Authorization header uses `$MPM_MON_TOKEN`.
 * Everything else in the file is someone else's and is left exactly as it was.
 */
import { HOOK_EVENT_NAMES, NOT_OVER_HTTP, TOOL_EVENTS, type HookEventName } from './hook-events.js';
import { SettingsError, jsonErrorOffset, lineColumn } from './settings-error.js';

export type Settings = Record<string, unknown>;
export type HookForm = 'command' | 'http';

export interface CommandHandler {
  type: 'command';
  command: string;
  /** Seconds; Claude Code kills the hook after it. Ours finishes in well under a second. */
  timeout: number;
}

export interface HttpHandler {
  type: 'http';
  url: string;
  headers: Record<string, string>;
  allowedEnvVars: string[];
  timeout: number;
}

export type OurHandler = CommandHandler | HttpHandler;

/** Environment variable Claude Code interpolates into the http hook's Authorization header. */
export const TOKEN_ENV = 'MPM_MON_TOKEN';
const COMMAND_TIMEOUT_SECONDS = 5;
/**
 * Claude Code waits out each hook's timeout in turn: a stalled daemon costs this much per event, and a
 * 4-tool turn fires about 15 (measured with Claude Code 2.1.197: 0.1 s → +1.2 s per session, 0.5 s →
 * +6.5 s, 1 s → +14.5 s). A healthy local daemon answers in a few milliseconds.
 */
export const HTTP_TIMEOUT_SECONDS = 0.1;
/** The query that tells the daemon a POST comes from Claude Code itself (it answers `{}`). */
export const CLAUDE_CODE_QUERY = 'from=claude-code';

export function commandHandler(command: string): CommandHandler {
  return { type: 'command', command, timeout: COMMAND_TIMEOUT_SECONDS };
}

/** `scheme` https for a daemon serving TLS: Claude Code then verifies it (NODE_EXTRA_CA_CERTS for a private CA). */
export function httpHandler(host: string, port: number, scheme: 'http' | 'https' = 'http'): HttpHandler {
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    type: 'http',
    url: `${scheme}://${urlHost}:${port}/events?${CLAUDE_CODE_QUERY}`,
    headers: { Authorization: `Bearer $${TOKEN_ENV}` },
    allowedEnvVars: [TOKEN_ENV],
    timeout: HTTP_TIMEOUT_SECONDS,
  };
}

/** What to register for each event: one handler everywhere, or a choice per event. */
export type HandlerChoice = OurHandler | ((event: HookEventName) => OurHandler);

/** The http form where Claude Code sends it, the command form where it does not. */
export function httpFormChoice(http: HttpHandler, command: CommandHandler): HandlerChoice {
  return (event) => (NOT_OVER_HTTP.has(event) ? command : http);
}

const BIN_COMMAND = /(?:^|[\s/\\"'])mpm-mon(?:\.cmd|\.exe)?["']?\s+hook\s*$/;
const SCRIPT_COMMAND = /mpm-mon.*[/\\](?:cli\.js|mpm-mon\.cjs)["']?\s+hook\s*$/;
const EVENTS_URL = /\/events\/?(?:\?[^#]*)?$/;
const TOKEN_HEADER = new RegExp(`\\$\\{?${TOKEN_ENV}\\}?`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which of our forms a hook handler is, or null when it is not ours. */
export function ourHandlerForm(handler: unknown, knownCommands: readonly string[] = []): HookForm | null {
  if (!isRecord(handler)) return null;
  if (handler.type === 'command' && typeof handler.command === 'string') {
    const command = handler.command.trim();
    return knownCommands.includes(command) || BIN_COMMAND.test(command) || SCRIPT_COMMAND.test(command)
      ? 'command'
      : null;
  }
  if (handler.type === 'http' && typeof handler.url === 'string' && EVENTS_URL.test(handler.url)) {
    const headers = isRecord(handler.headers) ? handler.headers : {};
    const auth = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
    return typeof auth === 'string' && TOKEN_HEADER.test(auth) ? 'http' : null;
  }
  return null;
}

/** Parses settings text; an error names the file and the line/column where parsing stopped. */
export function parseSettings(text: string, file: string): Settings {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(reason);
    const where = offset === undefined ? undefined : lineColumn(text, offset);
    throw new SettingsError(
      'SETTINGS_INVALID_JSON',
      `${file} is not valid JSON${where ? ` (line ${where.line}, column ${where.column})` : ''}: ${reason}`,
      {
        context: { file, line: where?.line, column: where?.column },
        steps: [
          `Fix the JSON in ${file}${where ? ` near line ${where.line}` : ''} (Claude Code cannot read it either).`,
          'Run the command again; nothing was written.',
        ],
      },
    );
  }
  if (!isRecord(value))
    throw new SettingsError(
      'SETTINGS_INVALID_SHAPE',
      `${file} must hold a JSON object, not ${describe(value)}`,
      {
        context: { file },
        steps: [`Make ${file} a JSON object, e.g. {}`, 'Run the command again; nothing was written.'],
      },
    );
  return value;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `a ${typeof value}`;
}

/** The `hooks` object and its event arrays, checked before we touch anything. */
function hooksOf(settings: Settings, file: string): Record<string, unknown> | undefined {
  const hooks = settings.hooks;
  if (hooks === undefined) return undefined;
  if (!isRecord(hooks))
    throw new SettingsError(
      'SETTINGS_INVALID_SHAPE',
      `"hooks" in ${file} must be an object, not ${describe(hooks)}`,
      {
        context: { file, key: 'hooks' },
        steps: [`Fix or remove "hooks" in ${file}.`],
      },
    );
  for (const event of HOOK_EVENT_NAMES) {
    const groups = hooks[event];
    if (groups !== undefined && !Array.isArray(groups))
      throw new SettingsError(
        'SETTINGS_INVALID_SHAPE',
        `"hooks.${event}" in ${file} must be an array of matcher groups, not ${describe(groups)}`,
        { context: { file, key: `hooks.${event}` }, steps: [`Fix or remove "hooks.${event}" in ${file}.`] },
      );
  }
  return hooks;
}

export type HookChangeKind = 'added' | 'updated' | 'removed' | 'unchanged';
export interface HookChange {
  event: HookEventName;
  change: HookChangeKind;
}

export interface SettingsEdit {
  settings: Settings;
  changes: HookChange[];
  changed: boolean;
}

interface Located {
  group: number;
  handler: number;
}

function locateOurs(groups: unknown[], knownCommands: readonly string[]): Located[] {
  const found: Located[] = [];
  groups.forEach((group, groupIndex) => {
    if (!isRecord(group) || !Array.isArray(group.hooks)) return;
    group.hooks.forEach((handler, handlerIndex) => {
      if (ourHandlerForm(handler, knownCommands) !== null)
        found.push({ group: groupIndex, handler: handlerIndex });
    });
  });
  return found;
}

/** Removes our handlers from the groups, and the groups that only held ours. */
function withoutOurs(groups: unknown[], ours: Located[]): unknown[] {
  return groups.flatMap((group, groupIndex) => {
    const mine = ours.filter((spot) => spot.group === groupIndex).map((spot) => spot.handler);
    if (mine.length === 0 || !isRecord(group) || !Array.isArray(group.hooks)) return [group];
    const kept = group.hooks.filter((_, handlerIndex) => !mine.includes(handlerIndex));
    return kept.length === 0 ? [] : [{ ...group, hooks: kept }];
  });
}

function sameHandler(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface EditOptions {
  /** File name for error messages. */
  file?: string;
  /** Commands to treat as ours besides the recognised patterns (e.g. this installation's). */
  knownCommands?: readonly string[];
}

/**
 * Registers `handler` for every hook event. An existing entry of ours is updated in place (so a
 * second run changes nothing); entries of the other form are removed; other hooks stay untouched.
 */
export function installHooks(
  settings: Settings,
  choice: HandlerChoice,
  options: EditOptions = {},
): SettingsEdit {
  const file = options.file ?? 'settings.json';
  const handlerFor = typeof choice === 'function' ? choice : () => choice;
  const commands = HOOK_EVENT_NAMES.map(handlerFor).flatMap((h) => (h.type === 'command' ? [h.command] : []));
  const known = [...(options.knownCommands ?? []), ...commands];
  const hooks = { ...(hooksOf(settings, file) ?? {}) };
  const changes: HookChange[] = [];
  for (const event of HOOK_EVENT_NAMES) {
    const handler = handlerFor(event);
    const groups = (hooks[event] as unknown[] | undefined) ?? [];
    const ours = locateOurs(groups, known);
    const first = ours[0];
    if (ours.length === 1 && first && sameHandler(readHandler(groups, first), handler)) {
      changes.push({ event, change: 'unchanged' });
      continue;
    }
    if (first) {
      // Update in place: keep the position (and group) the user may have arranged.
      const updated = groups.map((group, groupIndex) =>
        groupIndex === first.group && isRecord(group) && Array.isArray(group.hooks)
          ? { ...group, hooks: (group.hooks as unknown[]).map((h, i) => (i === first.handler ? handler : h)) }
          : group,
      );
      hooks[event] = withoutOurs(updated, ours.slice(1));
      changes.push({ event, change: 'updated' });
    } else {
      const group = TOOL_EVENTS.has(event) ? { matcher: '*', hooks: [handler] } : { hooks: [handler] };
      hooks[event] = [...groups, group];
      changes.push({ event, change: 'added' });
    }
  }
  const changed = changes.some((change) => change.change !== 'unchanged');
  return { settings: changed ? { ...settings, hooks } : settings, changes, changed };
}

function readHandler(groups: unknown[], spot: Located): unknown {
  const group = groups[spot.group];
  return isRecord(group) && Array.isArray(group.hooks) ? group.hooks[spot.handler] : undefined;
}

/** Removes every entry of ours (either form) and the containers that only held ours. */
export function uninstallHooks(settings: Settings, options: EditOptions = {}): SettingsEdit {
  const file = options.file ?? 'settings.json';
  const existing = hooksOf(settings, file);
  const changes: HookChange[] = [];
  if (!existing)
    return {
      settings,
      changes: HOOK_EVENT_NAMES.map((event) => ({ event, change: 'unchanged' })),
      changed: false,
    };
  const hooks = { ...existing };
  for (const event of HOOK_EVENT_NAMES) {
    const groups = hooks[event] as unknown[] | undefined;
    const ours = groups ? locateOurs(groups, options.knownCommands ?? []) : [];
    if (!groups || ours.length === 0) {
      changes.push({ event, change: 'unchanged' });
      continue;
    }
    const kept = withoutOurs(groups, ours);
    if (kept.length === 0) delete hooks[event];
    else hooks[event] = kept;
    changes.push({ event, change: 'removed' });
  }
  const changed = changes.some((change) => change.change !== 'unchanged');
  if (!changed) return { settings, changes, changed };
  const next: Settings = { ...settings, hooks };
  if (Object.keys(hooks).length === 0) delete next.hooks;
  return { settings: next, changes, changed };
}

export interface HookInspection {
  /** Events Claude Code will deliver to us (an http entry on an event it never sends over http does not count). */
  installed: HookEventName[];
  missing: HookEventName[];
  /** Events whose only entry of ours is an http one that Claude Code skips (NOT_OVER_HTTP). */
  skippedHttp: HookEventName[];
  /**
   * The form of our entries where Claude Code allows both (the http form's command hooks on
   * NOT_OVER_HTTP events do not make it `mixed`); `mixed` when both forms are present there.
   */
  form: HookForm | 'mixed' | null;
  /** The URLs our http entries post to (one, unless the file was edited by hand). */
  httpUrls: string[];
  /** The commands our command-form entries run (one, unless the file was edited by hand). */
  commands: string[];
  /** `disableAllHooks: true` in this file turns every hook off, ours included. */
  disabled: boolean;
}

/** For `doctor`: which events have an entry of ours. Tolerates any shape; never throws. */
export function inspectHooks(settings: unknown, knownCommands: readonly string[] = []): HookInspection {
  const hooks = isRecord(settings) && isRecord(settings.hooks) ? settings.hooks : {};
  const forms = new Set<HookForm>();
  const urls = new Set<string>();
  const commands = new Set<string>();
  const installed: HookEventName[] = [];
  const skippedHttp: HookEventName[] = [];
  for (const event of HOOK_EVENT_NAMES) {
    const groups = hooks[event];
    if (!Array.isArray(groups)) continue;
    const found = new Set<HookForm>();
    for (const group of groups) {
      if (!isRecord(group) || !Array.isArray(group.hooks)) continue;
      for (const handler of group.hooks) {
        const form = ourHandlerForm(handler, knownCommands);
        if (form) found.add(form);
        if (form === 'http' && isRecord(handler) && typeof handler.url === 'string') urls.add(handler.url);
        if (form === 'command' && isRecord(handler) && typeof handler.command === 'string')
          commands.add(handler.command.trim());
      }
    }
    const skipsHttp = NOT_OVER_HTTP.has(event);
    if (!skipsHttp) for (const form of found) forms.add(form);
    if (found.has('command') || (found.has('http') && !skipsHttp)) installed.push(event);
    else if (found.has('http')) skippedHttp.push(event);
  }
  return {
    installed,
    missing: HOOK_EVENT_NAMES.filter((event) => !installed.includes(event)),
    skippedHttp,
    form:
      forms.size === 0
        ? installed.length > 0
          ? 'command'
          : null
        : forms.size === 2
          ? 'mixed'
          : [...forms][0]!,
    httpUrls: [...urls],
    commands: [...commands],
    disabled: isRecord(settings) && settings.disableAllHooks === true,
  };
}

/** The indentation a JSON text uses (2 spaces when it does not say). */
export function detectIndent(text: string): string {
  const match = /^[{[][^\n]*\n([ \t]+)\S/.exec(text);
  return match?.[1] ?? '  ';
}

export function formatSettings(settings: Settings, indent = '  '): string {
  return `${JSON.stringify(settings, null, indent)}\n`;
}
