/** A screen region as lines of styled segments: views build them purely, one component draws them. */
import chalk, { type ChalkInstance } from 'chalk';
import { Box, Text } from 'ink';
import { memo } from 'react';
import { asciiSafe } from './ascii.js';
import type { ColorName, Theme } from './theme.js';

export interface Segment {
  text: string;
  color?: ColorName;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export type Line = Segment[];

export function plain(text: string, style: Omit<Segment, 'text'> = {}): Line {
  return [{ text, ...style }];
}

export function lineText(line: Line): string {
  return line.map((segment) => segment.text).join('');
}

/**
 * One segment as the terminal shows it. Styled here, with the chalk Ink itself uses, so a row is one
 * `<Text>` holding one string: a row of nested `<Text>` per segment cost Ink a node, a layout and a
 * measure each, forty rows at a time, several times a second.
 */
function styled(segment: Segment, theme: Theme): string {
  const text = theme.ascii ? asciiSafe(segment.text) : segment.text;
  let style: ChalkInstance = chalk;
  // Without colour, bold and inverse still mark the active tab and the selected row (they are not colours).
  if (theme.color && segment.color) style = style[segment.color];
  if (theme.color && segment.dim) style = style.dim;
  if (segment.bold) style = style.bold;
  if (segment.inverse) style = style.inverse;
  return style === chalk ? text : style(text);
}

export function lineString(line: Line, theme: Theme): string {
  return line.length === 0 ? ' ' : line.map((segment) => styled(segment, theme)).join('');
}

/** A row redraws only when its text changed. */
const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate">{text}</Text>;
});

/** Rows already styled (frame.ts), one `<Text>` each. */
export function Lines({ rows, width, height }: { rows: readonly string[]; width: number; height: number }) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      {rows.map((text, index) => (
        <Row key={index} text={text} />
      ))}
    </Box>
  );
}

/** The part of `lines` shown from `scroll`, clamped so the last page stays full. */
export function scrolled(lines: Line[], scroll: number, height: number): Line[] {
  const start = Math.max(0, Math.min(scroll, lines.length - height));
  return lines.slice(start, start + height);
}
