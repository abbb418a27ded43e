/** Which slice of a long list is on screen: keeps the selection visible and moves as little as possible. */
export function windowStart(previousStart: number, selected: number, height: number, total: number): number {
  if (height <= 0 || total <= 0) return 0;
  const maxStart = Math.max(0, total - height);
  let start = Math.min(previousStart, selected);
  if (selected >= start + height) start = selected - height + 1;
  return Math.max(0, Math.min(start, maxStart));
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}
