#!/usr/bin/env node
// `mpm-mon hook` runs on every Claude Code tool call, so its start-up is paid every time. Loading one
// file instead of the ten small ESM modules on its path saves their resolution and linking. The bundle
// holds only node builtins and the hook's own code (test/hook/import-graph.test.ts keeps it small).
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/source/commands/hook.js'],
  outfile: 'dist/hook.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
