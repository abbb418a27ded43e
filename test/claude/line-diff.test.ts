import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines, renderDiff } from '../../source/claude/line-diff.js';

test('diffLines: removals before additions, unchanged lines kept, applying it gives the new text', () => {
  const before = 'a\nb\nc\nd\n';
  const after = 'a\nB\nc\nd\ne\n';
  const lines = diffLines(before, after);
  assert.deepEqual(
    lines.map((line) => `${line.op}${line.text}`),
    [' a', '-b', '+B', ' c', ' d', '+e'],
  );
  const rebuilt = lines.filter((line) => line.op !== '-').map((line) => line.text);
  assert.deepEqual(rebuilt, after.trimEnd().split('\n'));
});

test('diffLines from nothing is all additions', () => {
  assert.deepEqual(
    diffLines('', '{\n}\n').map((line) => line.op),
    ['+', '+'],
  );
});

test('renderDiff shows context around changes and elides the rest', () => {
  const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
  const after = before.replace('line 10', 'LINE 10');
  assert.equal(
    renderDiff(diffLines(before, after), 1),
    ['  line 9', '- line 10', '+ LINE 10', '  line 11'].join('\n'),
  );
  const twoPlaces = after.replace('line 1\n', 'LINE 1\n');
  assert.match(renderDiff(diffLines(before, twoPlaces), 1), /\+ LINE 1\n {2}line 2\n {2}…\n {2}line 9/);
});
