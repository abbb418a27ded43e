/** How durations and moments are said to people, in one place (doctor, errors, the CLI, the TUI). */

/**
 * Seconds as "3d 4h", "5m 12s", "42s" (the two largest units); `compact` ("3d04h", "5m12s") where
 * columns are scarce, as in the TUI's header.
 */
export function formatDuration(seconds: number, options: { compact?: boolean } = {}): string {
  const total = Math.max(0, Math.floor(seconds));
  const units: Array<[number, string]> = [
    [Math.floor(total / 86_400), 'd'],
    [Math.floor((total % 86_400) / 3_600), 'h'],
    [Math.floor((total % 3_600) / 60), 'm'],
    [total % 60, 's'],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first === -1 || first === units.length - 1) return `${total % 60}s`;
  const [major, majorUnit] = units[first]!;
  const [minor, minorUnit] = units[first + 1]!;
  return options.compact
    ? `${major}${majorUnit}${String(minor).padStart(2, '0')}${minorUnit}`
    : `${major}${majorUnit} ${minor}${minorUnit}`;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * A moment as local time: "14:05:03" when it is today (by `now`), else "2026-11-30 14:05"; null for
 * a missing or unreadable time.
 */
export function formatMoment(iso: string | null | undefined, now: number = Date.now()): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const today = new Date(now);
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  if (date.toDateString() === today.toDateString()) return clock;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock.slice(0, 5)}`;
}
