/** `--last`, `--since`, `--until`: their values read into a filter, or refused with a valid example. */
import { MpmError } from '../errors/base.js';
import type { EventFilter } from '../protocol/event-filter.js';

export type Bound = { kind: 'seq'; seq: number } | { kind: 'time'; iso: string };

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

function invalid(flag: string, value: string, expected: string, example: string): MpmError {
  return new MpmError(
    'INVALID_FLAG',
    `invalid value ${JSON.stringify(value)} for --${flag}: expected ${expected}`,
    {
      context: { flag, value },
      steps: [`Run again with a valid value, e.g. ${example}.`],
    },
  );
}

export function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < 0)
    throw invalid(flag, value, 'a whole number >= 0', `--${flag} 20`);
  return number;
}

/** A seq (`1200`), a duration before `now` (`10m`, `2h`, `1d`) or an ISO time (`2026-05-01T09:00`). */
export function parseBound(flag: string, value: string | undefined, now: number): Bound | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return { kind: 'seq', seq: Number(trimmed) };
  const duration = DURATION.exec(trimmed);
  if (duration)
    return { kind: 'time', iso: new Date(now - Number(duration[1]) * UNIT_MS[duration[2]!]!).toISOString() };
  if (ISO_DATE.test(trimmed) && !Number.isNaN(Date.parse(trimmed)))
    return { kind: 'time', iso: new Date(Date.parse(trimmed)).toISOString() };
  throw invalid(
    flag,
    value,
    'a seq (1200), a duration ago (30s, 10m, 2h, 1d) or an ISO time (2026-05-01T09:00:00Z)',
    `--${flag} 10m`,
  );
}

export interface QueryFlags {
  since?: string;
  until?: string;
  session?: string;
  type?: string;
}

/** The flags as one filter. `--since 5` means after seq 5; `--until 9` includes seq 9. */
export function filterFromFlags(flags: QueryFlags, now: number): EventFilter {
  const since = parseBound('since', flags.since, now);
  const until = parseBound('until', flags.until, now);
  const filter: EventFilter = {};
  if (flags.session) filter.sessionId = flags.session;
  if (flags.type) filter.type = flags.type;
  if (since?.kind === 'seq') filter.after = since.seq;
  if (since?.kind === 'time') filter.sinceTime = since.iso;
  if (until?.kind === 'seq') filter.before = until.seq + 1;
  if (until?.kind === 'time') filter.untilTime = until.iso;
  return filter;
}
