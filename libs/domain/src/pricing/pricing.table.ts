/**
 * Prices as data, USD per million tokens. A change here changes counted cost, so it bumps
 * PRICING_VERSION and PROCESSOR_VERSION.
 */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cache read. */
  cacheRead: number;
  /** 5-minute cache write (1.25 × input). */
  cacheWrite5m: number;
  /** 1-hour cache write (2 × input). */
  cacheWrite1h: number;
  /** Long-context prices, used for a whole request whose prompt exceeds `threshold` tokens. */
  tier?: { threshold: number; input: number; output: number; cacheRead: number; cacheWrite5m: number; cacheWrite1h: number };
}

/** Model id (undated, lower case) → price. Dated ids resolve by stripping the `-YYYYMMDD` suffix. */
export type PricingTable = Readonly<Record<string, ModelPrice>>;

/** @public Bumped by hand with any price change, together with PROCESSOR_VERSION; no code reads it. */
export const PRICING_VERSION = '2026-04-1';

/** Prices of a model family from its input/output prices; cache prices follow Anthropic's ratios. */
function family(input: number, output: number, longContext?: { input: number; output: number }): ModelPrice {
  const price: ModelPrice = {
    input,
    output,
    cacheRead: input / 10,
    cacheWrite5m: input * 1.25,
    cacheWrite1h: input * 2,
  };
  if (longContext) {
    const li = longContext.input;
    price.tier = { threshold: 200_000, input: li, output: longContext.output, cacheRead: li / 10, cacheWrite5m: li * 1.25, cacheWrite1h: li * 2 };
  }
  return price;
}

const SONNET = family(3, 15, { input: 6, output: 22.5 });
const OPUS_4 = family(15, 75);
const OPUS_4_5 = family(5, 25);

export const PRICING: PricingTable = {
  'claude-3-5-sonnet': family(3, 15),
  'claude-3-5-haiku': family(0.8, 4),
  'claude-3-7-sonnet': family(3, 15),
  'claude-3-haiku': family(0.25, 1.25),
  'claude-3-opus': family(15, 75),
  'claude-sonnet-4': SONNET,
  'claude-sonnet-4-5': SONNET,
  'claude-sonnet-4-6': SONNET,
  'claude-opus-4': OPUS_4,
  'claude-opus-4-1': OPUS_4,
  'claude-opus-4-5': OPUS_4_5,
  'claude-opus-4-6': OPUS_4_5,
  'claude-opus-4-7': OPUS_4_5,
  'claude-haiku-4-5': family(1, 5),
};
