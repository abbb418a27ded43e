/** A screen region as lines of styled segments: views build them purely, one component draws them. */
import { Box, Text } from 'ink';
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

function SegmentText({ segment, theme }: { segment: Segment; theme: Theme }) {
  const text = theme.ascii ? asciiSafe(segment.text) : segment.text;
  // Without colour, bold and inverse still mark the active tab and the selected row (they are not colours).
  if (!theme.color)
    return (
      <Text bold={segment.bold} inverse={segment.inverse}>
        {text}
      </Text>
    );
  return (
    <Text color={segment.color} bold={segment.bold} dimColor={segment.dim} inverse={segment.inverse}>
      {text}
    </Text>
  );
}

export function Lines({
  lines,
  theme,
  width,
  height,
}: {
  lines: Line[];
  theme: Theme;
  width: number;
  height: number;
}) {
  const shown = lines.slice(0, height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((line, index) => (
        <Text key={index} wrap="truncate">
          {line.length === 0
            ? ' '
            : line.map((segment, at) => <SegmentText key={at} segment={segment} theme={theme} />)}
        </Text>
      ))}
    </Box>
  );
}

/** The part of `lines` shown from `scroll`, clamped so the last page stays full. */
export function scrolled(lines: Line[], scroll: number, height: number): Line[] {
  const start = Math.max(0, Math.min(scroll, lines.length - height));
  return lines.slice(start, start + height);
}
