/**
 * The `/` filter: whitespace-separated terms, all of which must hold.
 *   word          case-insensitive text anywhere in the event (type, session, tool, cwd, summary, data)
 *   "two words"   quoted text
 *   /regex/i      a regular expression over the same text
 *   type:Pre      type contains (case-insensitive); tool:Bash likewise; session:5f1c session id prefix
 *   !term         inverts any of the above
 */
import type { MonEvent } from '../../protocol/event.js';
import { summarize } from './summary.js';

export type FilterTerm =
  | { kind: 'text'; value: string; negate: boolean }
  | { kind: 'regex'; regex: RegExp; negate: boolean }
  | { kind: 'type' | 'tool' | 'session'; value: string; negate: boolean };

export interface EventFilter {
  source: string;
  terms: FilterTerm[];
}

export type ParsedFilter = { ok: true; filter: EventFilter } | { ok: false; error: string };

export const EMPTY_FILTER: EventFilter = { source: '', terms: [] };

/** Splits on whitespace, keeping "quoted text" and /regex with spaces/ together. */
function tokenize(source: string): string[] | string {
  const tokens: string[] = [];
  let index = 0;
  while (index < source.length) {
    if (/\s/.test(source[index]!)) {
      index += 1;
      continue;
    }
    const start = index;
    const bang = source[index] === '!' ? 1 : 0;
    const opener = source[index + bang];
    if (opener === '"' || opener === '/') {
      let end = index + bang + 1;
      while (end < source.length && !(source[end] === opener && source[end - 1] !== '\\')) end += 1;
      if (end >= source.length) return opener === '"' ? 'a quote is not closed' : 'a /regex/ is not closed';
      end += 1;
      while (end < source.length && /[a-z]/i.test(source[end]!)) end += 1; // regex flags
      tokens.push(source.slice(start, end));
      index = end;
      continue;
    }
    while (index < source.length && !/\s/.test(source[index]!)) index += 1;
    tokens.push(source.slice(start, index));
  }
  return tokens;
}

function parseTerm(token: string): FilterTerm | string {
  const negate = token.startsWith('!') && token.length > 1;
  const body = negate ? token.slice(1) : token;
  if (body.startsWith('"')) return { kind: 'text', value: body.slice(1, -1).toLowerCase(), negate };
  if (body.startsWith('/')) {
    const close = body.lastIndexOf('/');
    const pattern = body.slice(1, close);
    try {
      // The searched text is lower-cased, so every regex is case-insensitive.
      return { kind: 'regex', regex: new RegExp(pattern, 'i'), negate };
    } catch (error) {
      return `bad regex /${pattern}/: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`;
    }
  }
  const facet = /^(type|tool|session):(.*)$/i.exec(body);
  if (facet) {
    const value = facet[2]!;
    const kind = facet[1]!.toLowerCase() as 'type' | 'tool' | 'session';
    if (value === '') return `"${kind}:" needs a value, e.g. ${kind}:${FACET_EXAMPLE[kind]}`;
    return { kind, value: value.toLowerCase(), negate };
  }
  return { kind: 'text', value: body.toLowerCase(), negate };
}

const FACET_EXAMPLE = { type: 'PreToolUse', tool: 'Bash', session: '5f1c' } as const;

export function parseFilter(source: string): ParsedFilter {
  const tokens = tokenize(source);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  const terms: FilterTerm[] = [];
  for (const token of tokens) {
    const term = parseTerm(token);
    if (typeof term === 'string') return { ok: false, error: term };
    terms.push(term);
  }
  return { ok: true, filter: { source, terms } };
}

const searchTextCache = new WeakMap<MonEvent, string>();
const SEARCH_DATA_CHARS = 4000;

/** What text terms search: cached per event, data cut to a few KB so a filter stays cheap. */
export function searchText(event: MonEvent): string {
  let cached = searchTextCache.get(event);
  if (cached === undefined) {
    const data = JSON.stringify(event.data) ?? '';
    cached = [
      event.type,
      event.sessionId,
      event.tool ?? '',
      event.cwd ?? '',
      summarize(event),
      data.slice(0, SEARCH_DATA_CHARS),
    ]
      .join('\n')
      .toLowerCase();
    searchTextCache.set(event, cached);
  }
  return cached;
}

function termHolds(term: FilterTerm, event: MonEvent): boolean {
  switch (term.kind) {
    case 'text':
      return searchText(event).includes(term.value);
    case 'regex':
      return term.regex.test(searchText(event));
    case 'type':
      return event.type.toLowerCase().includes(term.value);
    case 'tool':
      return (event.tool ?? '').toLowerCase().includes(term.value);
    case 'session':
      return event.sessionId.toLowerCase().startsWith(term.value);
  }
}

export function matchesFilter(filter: EventFilter, event: MonEvent): boolean {
  return filter.terms.every((term) => termHolds(term, event) !== term.negate);
}

export function applyFilter(filter: EventFilter, events: readonly MonEvent[]): readonly MonEvent[] {
  return filter.terms.length === 0 ? events : events.filter((event) => matchesFilter(filter, event));
}
