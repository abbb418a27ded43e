import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  ansiToSvg,
  applySgr,
  BACKGROUND,
  color256,
  FOREGROUND,
  PALETTE,
  parseAnsi,
  PLAIN,
} from '../../scripts/ansi-svg.js';

const ESC = '\u001b';

test('SGR colours, bold, dim and resets split a row into runs at their columns', () => {
  const rows = parseAnsi(`${ESC}[1m${ESC}[32m● ok${ESC}[39m${ESC}[22m  ${ESC}[2mdim${ESC}[0m end`);
  assert.deepEqual(
    rows[0]!.map((run) => [run.column, run.text, run.style.fg, run.style.bold, run.style.dim]),
    [
      [0, '● ok', PALETTE[2], true, false],
      [4, '  ', null, false, false],
      [6, 'dim', null, false, true],
      [9, ' end', null, false, false],
    ],
  );
});

test('bright, 256-colour and truecolour foregrounds and backgrounds', () => {
  assert.equal(applySgr(PLAIN, '91').fg, PALETTE[9]);
  assert.equal(applySgr(PLAIN, '104').bg, PALETTE[12]);
  assert.equal(applySgr(PLAIN, '38;5;196').fg, '#ff0000');
  assert.equal(applySgr(PLAIN, '48;5;232').bg, '#080808');
  assert.equal(applySgr(PLAIN, '38;2;1;2;255').fg, '#0102ff');
  assert.equal(color256(16), '#000000');
  assert.equal(color256(231), '#ffffff');
  const both = applySgr(PLAIN, '1;38;5;21;48;2;10;20;30');
  assert.deepEqual([both.bold, both.fg, both.bg], [true, '#0000ff', '#0a141e']);
  assert.deepEqual(applySgr(both, ''), PLAIN, 'ESC[m resets everything');
});

test('a style carries over to the next row; other escapes and control characters are dropped', () => {
  const rows = parseAnsi(`${ESC}[36mone\ntwo${ESC}[0m\r\n${ESC}[?25l${ESC}]0;title\u0007x\ty${ESC}[2K`);
  assert.equal(rows.length, 3);
  assert.equal(rows[1]![0]!.style.fg, PALETTE[6]);
  assert.deepEqual(
    rows[2]!.map((run) => run.text),
    ['xy'],
  );
});

test('the SVG: one <text> per non-empty row, tspans at their columns, inverse as a background rect', () => {
  const svg = ansiToSvg(`${ESC}[7m${ESC}[36m 1 Events ${ESC}[0m 2 <Sessions> & "x"\n\nlast`, {
    columns: 40,
    rows: 5,
    title: 'demo',
  });
  assert.match(
    svg,
    /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="364" height="119" viewBox="0 0 364 119"/,
  );
  assert.match(svg, /<title>demo<\/title>/);
  assert.equal((svg.match(/<text /g) ?? []).length, 2);
  // Inverse cyan: a cyan rect behind text drawn in the background colour.
  assert.ok(svg.includes(`width="84" height="18.2" fill="${PALETTE[6]}"/>`), svg);
  assert.ok(svg.includes(`<tspan x="14" fill="${BACKGROUND}"> 1 Events </tspan>`), svg);
  assert.ok(svg.includes('<tspan x="98"> 2 &lt;Sessions&gt; &amp; &quot;x&quot;</tspan>'), svg);
  assert.ok(svg.includes(`fill="${FOREGROUND}"`));
  assert.equal(ansiToSvg('same'), ansiToSvg('same'), 'deterministic');
});

test('rows and columns beyond the terminal size are cut', () => {
  const svg = ansiToSvg('abcdef\nrow2\nrow3', { columns: 3, rows: 2 });
  assert.ok(svg.includes('>abc</tspan>') && !svg.includes('abcd'));
  assert.ok(svg.includes('row'), svg);
  assert.ok(!svg.includes('row3'));
});

test('any text without escapes comes back whole, and never as raw markup', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), (text) => {
      // eslint-disable-next-line no-control-regex
      const line = text.replace(/[\u0000-\u001f\u007f]/g, '');
      const rows = parseAnsi(line);
      assert.equal(rows[0]?.map((run) => run.text).join('') ?? '', line);
      const svg = ansiToSvg(line, { columns: 100, rows: 1 });
      const body = svg.slice(svg.indexOf('<g '));
      const texts = [...body.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((match) => match[1]);
      for (const inner of texts) assert.ok(!/[<>"]/.test(inner!), inner);
    }),
    { numRuns: 200 },
  );
});
