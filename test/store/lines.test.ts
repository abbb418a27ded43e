import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { isBlankLine, parseEventLine, uniqueBySeq } from '../../source/store/event-line.js';
import { readLines, type SegmentLine } from '../../source/store/lines.js';
import { draft } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-home.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

async function all(path: string, options: Parameters<typeof readLines>[1] = {}): Promise<SegmentLine[]> {
  const out: SegmentLine[] = [];
  for await (const line of readLines(path, options)) out.push(line);
  return out;
}

describe('reading segment lines', () => {
  test('splits on newlines across tiny chunks and keeps multi-byte characters whole', async () => {
    const path = join(temp.path, 'a');
    const texts = ['ü€𝄞 first', '', 'second line is longer than a chunk', '𝄞𝄞𝄞'];
    writeFileSync(path, texts.join('\n') + '\n');
    for (const chunkBytes of [1, 2, 3, 7, 64 * 1024]) {
      const lines = await all(path, { chunkBytes });
      assert.deepEqual(
        lines.map((line) => line.text),
        texts,
        `chunk ${chunkBytes}`,
      );
      assert.ok(lines.every((line) => line.terminated));
      assert.deepEqual(
        lines.map((line) => line.lineNumber),
        [1, 2, 3, 4],
      );
      assert.deepEqual(
        lines.map((line) => line.start),
        [
          0,
          Buffer.byteLength('ü€𝄞 first\n'),
          Buffer.byteLength('ü€𝄞 first\n\n'),
          Buffer.byteLength(texts.slice(0, 3).join('\n') + '\n'),
        ],
      );
    }
  });

  test('reports an unterminated last line, and stops at `end`', async () => {
    const path = join(temp.path, 'b');
    writeFileSync(path, 'one\ntwo\nthr');
    const lines = await all(path, { chunkBytes: 3 });
    assert.deepEqual(
      lines.map((line) => [line.text, line.terminated]),
      [
        ['one', true],
        ['two', true],
        ['thr', false],
      ],
    );
    assert.deepEqual(
      (await all(path, { end: 8 })).map((line) => line.text),
      ['one', 'two'],
    );
    assert.deepEqual(await all(path, { end: 0 }), []);
  });

  test('does not hold an oversized line in memory', async () => {
    const path = join(temp.path, 'c');
    writeFileSync(path, `short\n${'x'.repeat(5000)}\nafter\n${'y'.repeat(5000)}`);
    const lines = await all(path, { chunkBytes: 100, maxLineBytes: 1000 });
    assert.deepEqual(
      lines.map((line) => [line.text, line.oversized, line.terminated]),
      [
        ['short', false, true],
        ['', true, true],
        ['after', false, true],
        ['', true, false],
      ],
    );
  });
});

describe('event lines', () => {
  test('parse only JSON objects with a positive integer seq', () => {
    assert.deepEqual(parseEventLine(JSON.stringify({ seq: 3, ...draft(3) })), { seq: 3, ...draft(3) });
    for (const text of [
      '',
      'x',
      '{"seq":0}',
      '{"seq":"1"}',
      '{"seq":1.5}',
      '{"seq":-1}',
      '[{"seq":1}]',
      'null',
      '{"seq":1e300}',
      '{"seq":1',
    ]) {
      assert.equal(parseEventLine(text), null, text);
    }
    assert.equal(isBlankLine('  \r'), true);
    assert.equal(isBlankLine('{}'), false);
  });

  test('uniqueBySeq sorts and keeps the first copy of each seq', () => {
    const a = { seq: 2, ...draft(1) };
    const b = { seq: 1, ...draft(2) };
    const c = { seq: 2, ...draft(3) };
    assert.deepEqual(uniqueBySeq([a, b, c]), [b, a]);
  });
});
