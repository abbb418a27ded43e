#!/usr/bin/env node
// The one binary. No JSX and no static imports of our commands here: `mpm-mon hook` runs on every
// Claude Code event and must load nothing but what it needs (no meow, Ink, React or socket.io).
// (The file keeps its .tsx name from the project layout; it is plain TypeScript.)

const argv = process.argv.slice(2);

if (argv[0] === 'hook') {
  // Built: the self-running CommonJS bundle next to this file (scripts/bundle-hook.mjs) exits by itself.
  // From source: the module, and exit 0 whatever happens — a hook must never break Claude Code.
  const { createRequire } = await import('node:module');
  try {
    createRequire(import.meta.url)('./hook.cjs');
  } catch {
    const { runHook } = await import('./source/commands/hook.js');
    await runHook().catch(() => undefined);
    process.exit(0);
  }
} else {
  // React's development build (checks, per-component timings) costs about a third of the TUI's CPU.
  process.env.NODE_ENV ??= 'production';
  // NO_COLOR and --no-color: the TUI passes no colours (bold and inverse stay: they are not colours).
  const { disableColorIfAsked } = await import('./source/tui/color-env.js');
  disableColorIfAsked(process.env, argv.includes('--no-color'));
  const { main } = await import('./source/commands/main.js');
  process.exitCode = await main(argv);
}
