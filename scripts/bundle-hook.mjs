#!/usr/bin/env node
// `mpm-mon hook` runs on every Claude Code tool call, so its start-up is paid every time. The hook's
// path is bundled into the binary itself (dist/mpm-mon.cjs, CommonJS): one file to resolve, read and
// compile instead of ten small modules, and no ES module loader — whose resolution, linking and builtin
// facades cost about a fifth of the hook's CPU. Every other command goes on to the ESM entry (dist/cli.js);
// the bundled hook costs them a pre-parse of its text, well under a millisecond.
// The bundle holds only node builtins and the hook's own code (test/hook/import-graph.test.ts keeps it small).
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const bundled = await build({
  stdin: {
    contents: [
      "import { runHook } from './dist/source/commands/hook.js';",
      // Always exit 0, and at once: a hook must never break Claude Code, and a stdin read abandoned
      // at its timeout must not keep the process alive.
      'runHook().catch(() => undefined).finally(() => process.exit(0));',
    ].join('\n'),
    resolveDir: '.',
    loader: 'js',
  },
  write: false,
  bundle: true,
  platform: 'node',
  // A function expression run only for `hook`: its requires are CommonJS's, so the launcher stays one file.
  format: 'iife',
  target: 'node20',
  // Lazy imports (node:net only when posting, the scrubber only when spooling) become lazy
  // `require`s, so that no `import()` starts the ES module loader after all.
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
});

const launcher = `#!/usr/bin/env node
'use strict';
// mpm-mon's binary. \`mpm-mon hook\` runs the bundled hook below; every other command, the ESM entry.
if (process.argv[2] !== 'hook') import('./cli.js');
else
${bundled.outputFiles[0].text}`;
writeFileSync('dist/mpm-mon.cjs', launcher);
chmodSync('dist/mpm-mon.cjs', 0o755);
// The separate bundle of earlier builds is gone from the binary's path.
rmSync('dist/hook.cjs', { force: true });
