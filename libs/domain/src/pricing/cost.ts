import type { TokenCounts } from '../entry/entry';
import type { UsageRecord } from '../usage/usage-record';
import { PRICING, type ModelPrice, type PricingTable } from './pricing.table';

/**
 * `auto`: the line's own costUSD when present, else computed; `calculate`: always computed;
 * `display`: only the line's costUSD (0 without one).
 */
export type CostMode = 'auto' | 'calculate' | 'display';

export interface Cost {
  costUsd: number;
  /** True when the model has no price: its cost is 0 and must be reported, never look free. */
  unpriced: boolean;
}

/**
 * The price of a model id: exact, else normalised (provider prefixes, `@date`/`-v1:0` suffixes and
 * `-YYYYMMDD` dates removed, `claude-4-opus` word order accepted).
 */
export function priceOf(model: string, table: PricingTable = PRICING): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  const id = normaliseModel(model);
  return table[id] ?? table[id.replace(/^claude-(\d)-(opus|sonnet|haiku)/, 'claude-$2-$1')];
}

export function normaliseModel(model: string): string {
  return model
    .toLowerCase()
    .replace(/^.*[/.](?=claude-)/, '')
    .replace(/-v\d+(:\d+)?$/, '')
    .replace(/[@-]\d{8}$/, '')
    .replace(/\[1m\]$/, '');
}

/**
 * Σ tokens × price for one request. The >200k tier applies to the whole request when its prompt
 * (input + cache read + cache writes) exceeds the threshold, as Anthropic bills long context.
 */
export function costOf(model: string, tokens: TokenCounts, table: PricingTable = PRICING): Cost {
  const price = priceOf(model, table);
  if (!price) return { costUsd: 0, unpriced: true };
  const prompt = tokens.input + tokens.cacheRead + tokens.cacheCreation;
  const p = price.tier && prompt > price.tier.threshold ? price.tier : price;
  const micro =
    tokens.input * p.input +
    tokens.output * p.output +
    tokens.cacheRead * p.cacheRead +
    tokens.cacheCreation5m * p.cacheWrite5m +
    tokens.cacheCreation1h * p.cacheWrite1h;
  return { costUsd: micro / 1_000_000, unpriced: false };
}

/** The cost of a kept response under a cost mode. */
export function recordCost(record: UsageRecord, mode: CostMode = 'calculate', table: PricingTable = PRICING): Cost {
  if (mode === 'display') return { costUsd: record.costUsd ?? 0, unpriced: false };
  if (mode === 'auto' && record.costUsd !== undefined) return { costUsd: record.costUsd, unpriced: false };
  return costOf(record.model, record.tokens, table);
}

/**
 * USD to whole micro-USD, half to even (how per-message costs are rounded when stored as
 * integers; exact halves are common: 5 cache-read tokens × $0.30/M = 1.5 µ$).
 */
export function roundMicroUsd(costUsd: number): number {
  const micro = costUsd * 1_000_000;
  const floor = Math.floor(micro);
  const frac = micro - floor;
  if (Math.abs(frac - 0.5) < 1e-6) return floor % 2 === 0 ? floor : floor + 1;
  return Math.round(micro);
}
