import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { processPayload, validateEventText } from '../../source/pipeline/index.js';

const FIXTURES = new URL('../fixtures/claude-hooks/', import.meta.url);
const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));

describe('real Claude Code hook payloads', () => {
  test('the fixture folder holds every hook event', () => {
    assert.ok(files.length >= 9, `found ${files.length} fixtures`);
  });

  for (const name of files) {
    test(name, () => {
      const text = readFileSync(new URL(name, FIXTURES), 'utf8');
      const raw = JSON.parse(text) as Record<string, unknown>;
      assert.ok(validateEventText(text).ok);
      const result = processPayload(text, { secret: 'k', source: 'hook', now: () => 0 });
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      const { draft } = result;
      assert.equal(draft.type, raw.hook_event_name);
      assert.equal(draft.type, name.replace(/(-\w+)?\.json$/, ''));
      assert.equal(draft.sessionId, raw.session_id);
      assert.equal(draft.tool, raw.tool_name ?? null);
      assert.equal(draft.cwd, raw.cwd ?? null);
      assert.equal(draft.receivedAt, '1970-01-01T00:00:00.000Z');
      assert.match(draft.id, /^[0-9a-f]{32}$/);
      if (name === 'PreToolUse-secret.json') assert.equal(result.redactions, 2);
      else assert.deepEqual(draft.data, raw);
    });
  }
});
