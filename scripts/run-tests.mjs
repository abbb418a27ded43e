#!/usr/bin/env node
// Runs every test/**/*.test.ts(x) with node's test runner. On Node 20 `--test` neither expands globs
// nor discovers .ts files, so the list is built here. A per-test timeout turns a leaked socket or Ink
// instance into a failure instead of a hang. Node applies it to each whole file too, and on a loaded
// 2-core machine the longest end-to-end files take over two minutes, hence 300 s.
// `node scripts/run-tests.mjs test/store` narrows the run.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...collect(path));
    else if (/\.test\.tsx?$/.test(name)) found.push(path);
  }
  return found;
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['test']).flatMap((root) =>
  statSync(root).isDirectory() ? collect(root) : [root],
);
if (files.length === 0) {
  console.error('no test files found under', roots.join(', ') || 'test');
  process.exit(1);
}
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-timeout=${process.env.MPM_MON_TEST_TIMEOUT_MS ?? 300000}`,
    ...files,
  ],
  {
    stdio: 'inherit',
    // Under CI=true Ink writes only the last frame, which in-process TUI tests cannot watch.
    // MPM_MON_PARENT_PID: a daemon that a test starts without the helpers still stops with this run.
    env: {
      ...process.env,
      CI: 'false',
      MPM_MON_LOG_LEVEL: process.env.MPM_MON_LOG_LEVEL ?? 'warn',
      MPM_MON_PARENT_PID: String(process.pid),
    },
  },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
