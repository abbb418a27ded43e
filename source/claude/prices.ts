/**
 * What Claude models cost and how much context they hold: Anthropic's list prices in US dollars per
 * million tokens, as of `PRICES_AS_OF`. The config key `prices` overrides or adds entries (same shape,
 * keyed by a model id or its prefix). A model no entry matches has no price: its cost is null, never
 * a guess. Pure.
 */
import type { TokenTotals } from '../protocol/session.js';

export const PRICES_AS_OF = '2025-11-24';

export interface ModelPrice {
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheRead: number;
  /** Cache writes of the 5-minute cache (what Claude Code uses). */
  cacheWrite: number;
  /** Tokens of context the model holds. */
  contextWindow?: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

const WINDOW = 200_000;

/** Keyed by model id prefix: the longest matching prefix wins (`claude-opus-4-5` over `claude-opus-4`). */
export const DEFAULT_PRICES: PriceTable = {
  'claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25, contextWindow: WINDOW },
  'claude-opus-4-1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75, contextWindow: WINDOW },
  'claude-opus-4': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75, contextWindow: WINDOW },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, contextWindow: WINDOW },
  'claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, contextWindow: WINDOW },
  'claude-3-7-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, contextWindow: WINDOW },
  'claude-3-5-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, contextWindow: WINDOW },
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25, contextWindow: WINDOW },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1, contextWindow: WINDOW },
  'claude-3-haiku': { input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3, contextWindow: WINDOW },
  'claude-3-opus': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75, contextWindow: WINDOW },
};

/** The defaults with the config's entries over them. */
export function priceTable(overrides: PriceTable = {}): PriceTable {
  return { ...DEFAULT_PRICES, ...overrides };
}

/** The entry for a model: an exact key, else the longest key that is a prefix of the id. */
export function priceFor(model: string, table: PriceTable): ModelPrice | null {
  const exact = table[model];
  if (exact) return exact;
  let best: string | null = null;
  for (const key of Object.keys(table))
    if (model.startsWith(key) && (best === null || key.length > best.length)) best = key;
  return best === null ? null : table[best]!;
}

/** Cost in USD of the tokens of each model; null when there are none or any model has no price. */
export function costUsd(byModel: Readonly<Record<string, TokenTotals>>, table: PriceTable): number | null {
  const models = Object.keys(byModel);
  if (models.length === 0) return null;
  let total = 0;
  for (const model of models) {
    const price = priceFor(model, table);
    if (!price) return null;
    const tokens = byModel[model]!;
    total +=
      (tokens.input * price.input +
        tokens.output * price.output +
        tokens.cacheRead * price.cacheRead +
        tokens.cacheWrite * price.cacheWrite) /
      1_000_000;
  }
  return Math.round(total * 1e6) / 1e6;
}

/** How full the context is: the last request's input and cache tokens over the model's window, in %. */
export function contextPercent(model: string, usage: TokenTotals, table: PriceTable): number | null {
  const window = priceFor(model, table)?.contextWindow;
  if (!window) return null;
  const used = usage.input + usage.cacheRead + usage.cacheWrite;
  return Math.round((used / window) * 1000) / 10;
}
