#!/usr/bin/env node
// The one binary. No JSX and no static imports of our commands here: `mpm-mon hook` runs on every
// Claude Code event and must load nothing but what it needs (no meow, Ink, React or socket.io).
// (The file keeps its .tsx name from the project layout; it is plain TypeScript.)

const argv = process.argv.slice(2);

if (argv[0] === 'hook') {
  // The build bundles the hook's path into one file (scripts/bundle-hook.mjs); from source, the module.
  const bundled = new URL('./hook.js', import.meta.url);
  const { runHook } = (await import(bundled.href).catch(
    () => import('./source/commands/hook.js'),
  )) as typeof import('./source/commands/hook.js');
  await runHook().catch(() => undefined);
  // Always 0: a hook must never break Claude Code.
  process.exitCode = 0;
} else {
  // React's development build (checks, per-component timings) costs about a third of the TUI's CPU.
  process.env.NODE_ENV ??= 'production';
  // chalk (so Ink) ignores NO_COLOR; map it (and --no-color) before anything imports chalk.
  const { disableColorIfAsked } = await import('./source/tui/color-env.js');
  disableColorIfAsked(process.env, argv.includes('--no-color'));
  const { main } = await import('./source/commands/main.js');
  process.exitCode = await main(argv);
}
