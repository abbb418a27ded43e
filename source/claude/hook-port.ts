/**
 * The port Claude Code's http hooks post to, from the user's settings.json. When such hooks are
 * installed, Claude Code keeps sending the token to that port whatever the daemon does, so the daemon
 * must listen exactly there: it never moves silently to another port of the range.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readSmallFile } from '../instance/safe-file.js';
import { ourHandlerForm } from './settings.js';

const SETTINGS_MAX_BYTES = 4 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Claude Code's user settings file (honours CLAUDE_CONFIG_DIR). */
export function userSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAUDE_CONFIG_DIR) return join(env.CLAUDE_CONFIG_DIR, 'settings.json');
  return join(env.HOME ?? env.USERPROFILE ?? homedir(), '.claude', 'settings.json');
}

/** Loopback ports our http hook handlers post to, in the settings object (any shape; never throws). */
export function httpHookPorts(settings: unknown): number[] {
  const ports = new Set<number>();
  const hooks = (settings as { hooks?: unknown } | null)?.hooks;
  if (typeof hooks !== 'object' || hooks === null) return [];
  for (const groups of Object.values(hooks as Record<string, unknown>)) {
    if (!Array.isArray(groups)) continue;
    for (const group of groups as Array<{ hooks?: unknown }>) {
      if (!Array.isArray(group?.hooks)) continue;
      for (const handler of group.hooks as unknown[]) {
        if (ourHandlerForm(handler) !== 'http') continue;
        try {
          const url = new URL((handler as { url: string }).url);
          if (LOOPBACK.has(url.hostname) && url.port) ports.add(Number(url.port));
        } catch {
          // Not a URL: Claude Code cannot post there either.
        }
      }
    }
  }
  return [...ports];
}

/** The port the installed http hooks point at, or null (none installed, or the file is unreadable). */
export function installedHttpHookPort(env: NodeJS.ProcessEnv = process.env): number | null {
  const read = readSmallFile(userSettingsFile(env), SETTINGS_MAX_BYTES);
  if (read.kind !== 'text') return null;
  try {
    return httpHookPorts(JSON.parse(read.text))[0] ?? null;
  } catch {
    return null;
  }
}
