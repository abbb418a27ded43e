import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cutMarker, dataBudget, truncateToFit } from '../../source/pipeline/index.js';
import { encodedBytes } from '../../source/pipeline/truncate.js';

const BASE = { hook_event_name: 'PreToolUse', session_id: 's-1', tool_name: 'Write', cwd: '/w' };
const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
const cost = (cuts: ReadonlyArray<{ path: string }>): number =>
  cuts.reduce((sum, cut) => sum + encodedBytes(cut.path) + 40, 0);

describe('truncateToFit', () => {
  test('a value that fits is returned as it is, with nothing cut', () => {
    const value = { ...BASE, tool_input: { content: 'small' } };
    const result = truncateToFit(value, 10_000);
    assert.equal(result.value, value);
    assert.deepEqual(result.truncated, []);
  });

  test('a 1.4 MB Write: the big string is cut, the small ones kept whole, the cut recorded', () => {
    const content = 'line of the file\n'.repeat(85_000);
    const value = { ...BASE, tool_input: { file_path: '/w/big.txt', content } };
    const copy = structuredClone(value);
    const { value: cut, truncated } = truncateToFit(value, 262_144);
    assert.deepEqual(value, copy, 'the input is not modified');
    assert.ok(bytesOf(cut) + cost(truncated) <= 262_144, String(bytesOf(cut)));
    assert.ok(bytesOf(cut) > 200_000, 'it keeps as much as fits');
    assert.deepEqual(truncated, [
      { path: '$.tool_input.content', originalBytes: Buffer.byteLength(content) },
    ]);
    const input = cut.tool_input as { file_path: string; content: string };
    assert.equal(input.file_path, '/w/big.txt');
    assert.ok(content.startsWith(input.content.slice(0, -cutMarker(content.length).length)));
    assert.ok(input.content.endsWith(cutMarker(Buffer.byteLength(content))));
    assert.equal(cut.session_id, 's-1');
  });

  test('several big strings are cut to one level; escapes, multi-byte text and pairs count right', () => {
    const value = {
      ...BASE,
      a: '"\\\n'.repeat(20_000),
      b: 'é€𝄞'.repeat(10_000),
      c: 'x'.repeat(30_000),
      small: 'y'.repeat(100),
    };
    const { value: cut, truncated } = truncateToFit(value, 20_000);
    assert.ok(bytesOf(cut) + cost(truncated) <= 20_000, String(bytesOf(cut)));
    assert.deepEqual(truncated.map((entry) => entry.path).sort(), ['$.a', '$.b', '$.c']);
    assert.equal(cut.small, value.small);
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut.b as string), 'no half surrogate pair');
    assert.deepEqual(truncateToFit(cut, 20_000).truncated, [], 'cutting again changes nothing');
  });

  test('when strings cannot give enough, the largest subtree is replaced', () => {
    const value = { ...BASE, tool_response: { numbers: Array.from({ length: 20_000 }, (_, i) => i) } };
    const { value: cut, truncated } = truncateToFit(value, 4096);
    assert.ok(bytesOf(cut) + cost(truncated) <= 4096, String(bytesOf(cut)));
    assert.equal(truncated.length, 1);
    assert.match(truncated[0]!.path, /^\$\.tool_response/);
    assert.equal(cut.hook_event_name, 'PreToolUse');
  });

  test('dataBudget leaves room for the rest of the stored event', () => {
    assert.equal(dataBudget(262_144), 262_144 - 4096);
    assert.equal(dataBudget(1024), 1024 - 64);
  });
});
