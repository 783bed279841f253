import { PRICING, type ModelPrice, type PricingTable } from './pricing.table';

/** Why an override file was refused; the app turns it into a config error naming the file. */
export interface PricingOverrideError {
  error: string;
}

const FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite5m', 'cacheWrite1h'] as const;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isPrice = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * A per-model override file (already JSON-parsed) merged over the built-in table:
 * `{ "<model>": { "input": 3, "output": 15, "cacheRead"?: …, "cacheWrite5m"?: …, "cacheWrite1h"?: …,
 * "tier"?: { "threshold", "input", "output", … } } }`, USD per million tokens. Missing cache
 * prices follow the usual ratios (read 0.1×, 5m write 1.25×, 1h write 2× input).
 */
export function parsePricingOverrides(json: unknown, base: PricingTable = PRICING): PricingTable | PricingOverrideError {
  if (!isObject(json)) return { error: 'pricing overrides must be a JSON object of model → prices' };
  const table: Record<string, ModelPrice> = { ...base };
  for (const [model, value] of Object.entries(json)) {
    const price = parsePrice(value, `${model}`);
    if ('error' in price) return price;
    if (isObject(value) && value.tier !== undefined) {
      if (!isObject(value.tier) || !isPrice(value.tier.threshold)) return { error: `${model}.tier needs a numeric threshold` };
      const tier = parsePrice(value.tier, `${model}.tier`);
      if ('error' in tier) return tier;
      price.tier = { threshold: value.tier.threshold, ...tier };
    }
    table[model.toLowerCase()] = price;
  }
  return table;
}

function parsePrice(value: unknown, where: string): ModelPrice | PricingOverrideError {
  if (!isObject(value)) return { error: `${where} must be an object` };
  if (!isPrice(value.input) || !isPrice(value.output)) return { error: `${where} needs non-negative numbers input and output` };
  for (const f of FIELDS) if (value[f] !== undefined && !isPrice(value[f])) return { error: `${where}.${f} must be a non-negative number` };
  const input = value.input;
  return {
    input,
    output: value.output,
    cacheRead: (value.cacheRead as number | undefined) ?? input / 10,
    cacheWrite5m: (value.cacheWrite5m as number | undefined) ?? input * 1.25,
    cacheWrite1h: (value.cacheWrite1h as number | undefined) ?? input * 2,
  };
}

/** Tells a refused override file from a table (a table is a record, so `'error' in x` alone does not narrow). */
export function isPricingOverrideError(x: PricingTable | PricingOverrideError): x is PricingOverrideError {
  return typeof (x as PricingOverrideError).error === 'string';
}
