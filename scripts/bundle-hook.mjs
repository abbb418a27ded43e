#!/usr/bin/env node
// `mpm-mon hook` runs on every Claude Code tool call, so its start-up is paid every time. The hook's
// path is bundled into one CommonJS file that runs itself (dist/hook.cjs): one file instead of ten
// small modules, and no ES module loader — whose resolution, linking and builtin facades cost about a
// fifth of the hook's CPU. The binary's launcher (dist/mpm-mon.cjs) is CommonJS too, so `mpm-mon hook`
// never starts the ES module loader; every other command goes on to the ESM entry (dist/cli.js).
// The bundle holds only node builtins and the hook's own code (test/hook/import-graph.test.ts keeps it small).
import { chmodSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

await build({
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
  outfile: 'dist/hook.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Lazy imports (node:http only when posting, the scrubber only when spooling) become lazy
  // `require`s, so that no `import()` starts the ES module loader after all.
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
});

const launcher = `#!/usr/bin/env node
'use strict';
// mpm-mon's binary. \`mpm-mon hook\` loads the CommonJS hook bundle only; the rest, the ESM entry.
if (process.argv[2] === 'hook') require('./hook.cjs');
else import('./cli.js');
`;
writeFileSync('dist/mpm-mon.cjs', launcher);
chmodSync('dist/mpm-mon.cjs', 0o755);
