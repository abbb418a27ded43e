#!/usr/bin/env node
// Installs the pinned Claude Code (npm `@anthropic-ai/claude-code`) into a cache folder when it is not
// there yet, and prints the path of its native binary. The end-to-end tests drive that binary directly
// (the package's optional dependency holds it; its postinstall is not needed).
// Cache: $MPM_MON_CLAUDE_CACHE, else $XDG_CACHE_HOME/mpm-mon/claude-code-<version>, else ~/.cache/…
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The version the hook event list was taken from: one place (source/claude/hook-events.ts).
const EVENTS_FILE = new URL('../source/claude/hook-events.ts', import.meta.url);
const pinned = /CLAUDE_CODE_VERSION = '([^']+)'/.exec(readFileSync(EVENTS_FILE, 'utf8'));
if (!pinned) throw new Error(`no CLAUDE_CODE_VERSION in ${fileURLToPath(EVENTS_FILE)}`);
export const CLAUDE_CODE_VERSION = pinned[1];

export function claudeCodeCache(env = process.env) {
  if (env.MPM_MON_CLAUDE_CACHE) return env.MPM_MON_CLAUDE_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'mpm-mon', `claude-code-${CLAUDE_CODE_VERSION}`);
}

function platformPackage() {
  const os = process.platform === 'win32' ? 'win32' : process.platform;
  return `@anthropic-ai/claude-code-${os}-${process.arch}`;
}

export function claudeCodeBinary(env = process.env) {
  const name = process.platform === 'win32' ? 'claude.exe' : 'claude';
  return join(claudeCodeCache(env), 'node_modules', platformPackage(), name);
}

/** The binary's path, installing the package first when it is missing. Throws with npm's output on failure. */
export function ensureClaudeCode(env = process.env) {
  const binary = claudeCodeBinary(env);
  if (existsSync(binary)) return binary;
  const cache = claudeCodeCache(env);
  mkdirSync(cache, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      cache,
      '--no-audit',
      '--no-fund',
      '--no-save',
      `@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 },
  );
  if (result.status !== 0 || !existsSync(binary))
    throw new Error(
      `npm install @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION} into ${cache} failed ` +
        `(exit ${result.status ?? result.signal}); expected ${binary}\n${result.stderr || result.error?.message || ''}`.trim(),
    );
  return binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.stdout.write(`${ensureClaudeCode()}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
