// `mpm-mon hook` runs on every tool call: everything it imports is paid every time. This walks its
// static import graph and fails when something heavy (meow, conf, socket.io, ink, react) creeps in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importGraph, repo } from '../helpers/import-graph.js';

const ALLOWED_OWN = [
  /^source\/hook\/[^/]+\.ts$/,
  /^source\/store\/spool\.ts$/,
  /^source\/config\/(home|loopback|daemon-url)\.ts$/,
  /^source\/client\/(discover|client-settings|remote|tls-trust)\.ts$/,
  /^source\/instance\/alive\.ts$/,
  /^source\/protocol\/pidfile\.ts$/,
  /^source\/protocol\/event\.ts$/,
  /^source\/instance\/(safe-file|setting-file|daemon-identity)\.ts$/,
  /^source\/commands\/hook\.ts$/,
];

/**
 * Lazy on purpose: the scrubber only when spooling, node:net only when there is a daemon to post to,
 * the truncation only for a payload over events.maxBytes; the lazy modules are checked on their own below.
 */
const LAZY = [
  /source\/hook\/scrub-for-spool\.ts$/,
  /source\/hook\/post-event\.ts$/,
  /source\/hook\/cut-for-post\.ts$/,
];

const graph = (entry: string) => importGraph(entry, { lazy: LAZY });

test('the hook command imports only node builtins and its own small modules', () => {
  const { own, external } = graph(path.join(repo, 'source/commands/hook.ts'));
  assert.deepEqual(
    external.filter((site) => !site.specifier.startsWith('node:')),
    [],
    'only node: builtins outside the repo',
  );
  assert.deepEqual(
    own.filter((file) => !ALLOWED_OWN.some((pattern) => pattern.test(file))),
    [],
    'only config/home, protocol/pidfile, client/discover, instance/alive, hook/ and store/spool inside the repo',
  );
  assert.ok(
    own.includes('source/store/spool.ts') && own.includes('source/config/home.ts'),
    'the walk did follow imports',
  );
});

test('the hook path never uses fetch (it loads undici: +150 ms)', () => {
  const { own } = graph(path.join(repo, 'source/commands/hook.ts'));
  for (const file of own)
    assert.doesNotMatch(fs.readFileSync(path.join(repo, file), 'utf8'), /\bfetch\(/, `${file} calls fetch`);
});

test('the scrubber the hook loads on the spool path imports only node builtins', () => {
  const { own, external } = graph(path.join(repo, 'source/pipeline/scrub.ts'));
  assert.deepEqual(
    external.filter((site) => !site.specifier.startsWith('node:')),
    [],
  );
  assert.ok(
    own.every((file) => file.startsWith('source/pipeline/')),
    own.join(', '),
  );
});

test('the truncation the hook loads for a big payload imports nothing at run time but its path helper', () => {
  const { own, external } = graph(path.join(repo, 'source/pipeline/truncate.ts'));
  assert.deepEqual(external, []);
  assert.deepEqual(own, ['source/pipeline/json-path.ts', 'source/pipeline/truncate.ts']);
});
