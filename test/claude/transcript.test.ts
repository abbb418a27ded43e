import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, symlinkSync, truncateSync, writeFileSync, renameSync } from 'node:fs';

import { join } from 'node:path';
import { describe, test } from 'node:test';
import { contextPercent, costUsd, priceFor, priceTable } from '../../source/claude/prices.js';
import { consume, createTally, totals } from '../../source/claude/transcript.js';
import {
  claudeProjectsDir,
  createReaderStats,
  DEFAULT_READER,
  figuresOf,
  TranscriptFile,
} from '../../source/claude/transcript-reader.js';
import { assistantLines, jsonl, userLine } from '../helpers/transcripts.js';
import { dirsRemovedAfter } from '../helpers/temp-home.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const newDir = dirsRemovedAfter('mpm-transcript-');

function projects(): { root: string; project: string } {
  const home = newDir();
  const root = claudeProjectsDir({}, home);
  const project = join(root, '-home-dev-shop');
  mkdirSync(project, { recursive: true });
  return { root, project };
}

function reader(root: string, options: Partial<typeof DEFAULT_READER> = {}) {
  return { root, ...DEFAULT_READER, ...options };
}

describe('transcript tally (pure)', () => {
  test('each message id once, although every block repeats the usage', () => {
    const text = jsonl([
      userLine('hello'),
      ...assistantLines('msg_1', MODEL, { input: 10, output: 5, cacheWrite: 100 }, { blocks: 3 }),
      userLine('tool result'),
      ...assistantLines('msg_2', MODEL, { input: 2, output: 7, cacheRead: 100 }),
    ]);
    const tally = consume(createTally(), Buffer.from(text), 1 << 20);
    assert.equal(tally.lines, 7);
    assert.deepEqual(totals([tally]).tokens, { input: 12, output: 12, cacheRead: 100, cacheWrite: 100 });
    assert.deepEqual(tally.last, {
      model: MODEL,
      usage: { input: 2, output: 7, cacheRead: 100, cacheWrite: 0 },
    });
  });

  test('a line split across reads is taken whole once it ends; a line over the limit is skipped', () => {
    const line = assistantLines('msg_1', MODEL, { output: 3 }, { blocks: 1 })[0]!;
    const tally = createTally();
    consume(tally, Buffer.from(line.slice(0, 40)), 1 << 20);
    assert.equal(tally.messages.size, 0, 'nothing until the newline');
    consume(tally, Buffer.from(`${line.slice(40)}\n`), 1 << 20);
    assert.equal(tally.messages.size, 1);

    const small = createTally();
    const long = userLine('x'.repeat(1000));
    assert.ok(line.length < 400);
    consume(small, Buffer.from(long.slice(0, 300)), 400);
    consume(small, Buffer.from(long.slice(300, 600)), 400);
    consume(small, Buffer.from(`${long.slice(600)}\n${line}\n`), 400);
    assert.equal(small.skippedLong, 1);
    assert.deepEqual([...small.messages.keys()], ['msg_1'], 'the line after the long one counts');
    assert.equal(small.carry, null);
  });

  test('a sidechain message counts but is not the context of the main conversation; synthetic ones not at all', () => {
    const text = jsonl([
      ...assistantLines('m1', MODEL, { input: 50 }, { blocks: 1 }),
      ...assistantLines('m2', 'claude-haiku-4-5-20251001', { input: 5 }, { blocks: 1, sidechain: true }),
      ...assistantLines('m3', '<synthetic>', { input: 0 }, { blocks: 1 }),
    ]);
    const tally = consume(createTally(), Buffer.from(text), 1 << 20);
    assert.equal(tally.last?.usage.input, 50);
    assert.deepEqual(Object.keys(totals([tally]).byModel), [MODEL, 'claude-haiku-4-5-20251001']);
  });

  test('prices: dated table, the longest prefix wins, config entries override, unknown models cost null', () => {
    const table = priceTable();
    assert.equal(priceFor('claude-opus-4-5-20251101', table)?.input, 5);
    assert.equal(priceFor('claude-opus-4-20250514', table)?.input, 15);
    assert.equal(priceFor('gpt-4', table), null);
    const tokens = { input: 1_000_000, output: 1_000_000, cacheRead: 1_000_000, cacheWrite: 1_000_000 };
    assert.equal(costUsd({ [MODEL]: tokens }, table), 3 + 15 + 0.3 + 3.75);
    assert.equal(costUsd({ [MODEL]: tokens, 'local-model': tokens }, table), null);
    assert.equal(costUsd({}, table), null);
    const custom = priceTable({
      'local-model': { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, contextWindow: 1000 },
    });
    assert.equal(costUsd({ 'local-model': tokens }, custom), 2);
    assert.equal(
      contextPercent('local-model', { input: 100, output: 999, cacheRead: 50, cacheWrite: 100 }, custom),
      25,
    );
    assert.equal(contextPercent(MODEL, { input: 3, output: 0, cacheRead: 20_000, cacheWrite: 0 }, table), 10);
  });
});

describe('transcript reader (real files)', () => {
  test('growing: each refresh reads only what was appended', async () => {
    const { root, project } = projects();
    const path = join(project, 's1.jsonl');
    writeFileSync(path, jsonl(assistantLines('m1', MODEL, { input: 10, output: 1 })));
    const stats = createReaderStats();
    const file = new TranscriptFile(path, reader(root), stats);
    assert.equal(await file.refresh(), true);
    const firstBytes = stats.bytesRead;
    appendFileSync(path, jsonl(assistantLines('m2', MODEL, { input: 20, output: 2 })));
    assert.equal(await file.refresh(), true);
    assert.equal(stats.bytesRead - firstBytes, file.offset - firstBytes, 'only the new bytes');
    assert.equal(await file.refresh(), false, 'nothing new');
    const figures = figuresOf(file, [], priceTable());
    assert.deepEqual(figures.tokens, { input: 30, output: 3, cacheRead: 0, cacheWrite: 0 });
    assert.equal(figures.model, MODEL);
    assert.equal(figures.status, 'ok');
    assert.equal(figures.costUsd, (30 * 3 + 3 * 15) / 1e6);
    assert.equal(JSON.stringify(figures).includes('secret words'), false, 'no transcript text kept');
  });

  test('truncated: a last line without its newline waits, then counts once it is finished', async () => {
    const { root, project } = projects();
    const path = join(project, 's.jsonl');
    const [line] = assistantLines('m1', MODEL, { output: 9 }, { blocks: 1 });
    writeFileSync(path, line!.slice(0, 60));
    const file = new TranscriptFile(path, reader(root, { readBytes: 16 }));
    await file.refresh();
    assert.equal(figuresOf(file, [], priceTable()).tokens.output, 0);
    appendFileSync(path, `${line!.slice(60)}\n`);
    await file.refresh();
    assert.equal(figuresOf(file, [], priceTable()).tokens.output, 9, 'read in 16-byte chunks');
  });

  test('rotated: a replaced or shrunk file is read again from the start', async () => {
    const { root, project } = projects();
    const path = join(project, 's.jsonl');
    writeFileSync(
      path,
      jsonl([...assistantLines('m1', MODEL, { output: 5 }), ...assistantLines('m2', MODEL, { output: 5 })]),
    );
    const stats = createReaderStats();
    const file = new TranscriptFile(path, reader(root), stats);
    await file.refresh();
    assert.equal(figuresOf(file, [], priceTable()).tokens.output, 10);

    const replacement = join(project, 'new.jsonl');
    writeFileSync(replacement, jsonl(assistantLines('m3', MODEL, { output: 1 })));
    renameSync(replacement, path);
    await file.refresh();
    assert.equal(figuresOf(file, [], priceTable()).tokens.output, 1, 'replaced: only the new file counts');

    appendFileSync(path, jsonl(assistantLines('m4', MODEL, { output: 100 })));
    await file.refresh();
    truncateSync(path, 0);
    appendFileSync(path, jsonl(assistantLines('m5', MODEL, { output: 2 })));
    await file.refresh();
    assert.equal(figuresOf(file, [], priceTable()).tokens.output, 2, 'shrunk: read again');
    assert.equal(stats.restarts, 2);
  });

  test('malformed: garbage gives empty figures and the reason; a few bad lines among good ones are skipped', async () => {
    const { root, project } = projects();
    const bad = join(project, 'bad.jsonl');
    writeFileSync(bad, '{"usage": not json\n{"type":"assistant","usage":\n');
    const file = new TranscriptFile(bad, reader(root));
    await file.refresh();
    const figures = figuresOf(file, [], priceTable());
    assert.equal(figures.status, 'malformed');
    assert.match(figures.reason ?? '', /2 line\(s\).*not JSON/);
    assert.equal(figures.costUsd, null);

    const mixed = join(project, 'mixed.jsonl');
    writeFileSync(mixed, `{"usage": oops\n${jsonl(assistantLines('m1', MODEL, { input: 4 }))}`);
    const good = new TranscriptFile(mixed, reader(root));
    await good.refresh();
    const figuresMixed = figuresOf(good, [], priceTable());
    assert.equal(figuresMixed.status, 'ok');
    assert.equal(figuresMixed.tokens.input, 4);
    assert.match(figuresMixed.reason ?? '', /1 malformed/);
  });

  test('refused: outside the projects folder, through a symbolic link, not a regular file; missing is said', async () => {
    const { root, project } = projects();
    const outside = `${root}/../../elsewhere.jsonl`;
    writeFileSync(join(root, '..', 'x.jsonl'), jsonl(assistantLines('m1', MODEL, { input: 1 })));
    const stats = createReaderStats();
    const cases: Array<[string, RegExp, string]> = [
      [outside, /not a plain absolute path/, 'refused'],
      [join(root, '..', 'x.jsonl').replace('/projects/..', ''), /outside/, 'refused'],
      ['relative.jsonl', /not a plain absolute path/, 'refused'],
    ];
    const target = join(project, 'real.jsonl');
    writeFileSync(target, jsonl(assistantLines('m1', MODEL, { input: 1 })));
    symlinkSync(target, join(project, 'link.jsonl'));
    cases.push([join(project, 'link.jsonl'), /symbolic link/, 'refused']);
    const elsewhere = newDir();
    writeFileSync(join(elsewhere, 's.jsonl'), jsonl(assistantLines('m1', MODEL, { input: 1 })));
    symlinkSync(elsewhere, join(root, 'linked-project'));
    cases.push([join(root, 'linked-project', 's.jsonl'), /symbolic link/, 'refused']);
    mkdirSync(join(project, 'dir.jsonl'));
    cases.push([join(project, 'dir.jsonl'), /not a regular file|cannot be read/, 'refused|unreadable']);
    cases.push([join(project, 'gone.jsonl'), /does not exist/, 'missing']);
    for (const [path, reason, status] of cases) {
      const file = new TranscriptFile(path, reader(root), stats);
      assert.equal(await file.refresh(), false, path);
      const figures = figuresOf(file, [], priceTable());
      assert.match(figures.status, new RegExp(`^(${status})$`), path);
      assert.match(figures.reason ?? '', reason, path);
      assert.deepEqual(figures.tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    }
    assert.ok(stats.refused >= 5);
  });

  test("a session counts its subagents' transcripts too; context from the main one", async () => {
    const { root, project } = projects();
    const main = join(project, 's.jsonl');
    const agent = join(project, 's', 'subagents', 'agent-a1.jsonl');
    mkdirSync(join(project, 's', 'subagents'), { recursive: true });
    writeFileSync(main, jsonl(assistantLines('m1', MODEL, { input: 100, cacheRead: 19_900, output: 10 })));
    writeFileSync(agent, jsonl(assistantLines('a1', 'claude-haiku-4-5-20251001', { input: 7, output: 3 })));
    const files = [new TranscriptFile(main, reader(root)), new TranscriptFile(agent, reader(root))];
    for (const file of files) await file.refresh();
    const figures = figuresOf(files[0]!, [files[1]!], priceTable());
    assert.deepEqual(figures.tokens, { input: 107, output: 13, cacheRead: 19_900, cacheWrite: 0 });
    assert.equal(figures.contextPercent, 10);
    assert.equal(figures.model, MODEL);
    assert.equal(Object.keys(figures.byModel).length, 2);
    assert.equal(figuresOf(null, [], priceTable()).status, 'none');
  });

  test('CLAUDE_CONFIG_DIR moves the projects folder', () => {
    assert.equal(claudeProjectsDir({ CLAUDE_CONFIG_DIR: '/cfg' }, '/home/u'), '/cfg/projects');
    assert.equal(claudeProjectsDir({}, '/home/u'), '/home/u/.claude/projects');
  });
});
