import type { TokenCounts } from '../entry/entry';
import type { UsageRecord } from '../usage/usage-record';
import { costOf, priceOf, recordCost, roundMicroUsd } from './cost';
import { isPricingOverrideError, parsePricingOverrides } from './pricing-overrides';
import { PRICING } from './pricing.table';

const tokens = (t: Partial<TokenCounts>): TokenCounts => ({ input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cacheCreation5m: 0, cacheCreation1h: 0, ...t });

describe('pricing', () => {
  it('prices dated, undated and provider-prefixed ids of every family', () => {
    for (const id of ['claude-sonnet-4-20250514', 'claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101', 'claude-opus-4-6', 'claude-opus-4-7', 'claude-haiku-4-5',
      'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805', 'claude-opus-4-20250514', 'claude-3-5-sonnet-20241022', 'claude-3-5-haiku-20241022',
      'claude-3-7-sonnet-20250219', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.anthropic.claude-opus-4-1-20250805-v1:0', 'claude-4-opus-20250514']) {
      expect(priceOf(id)).toBeDefined();
    }
    expect(priceOf('gpt-5')).toBeUndefined();
  });

  it('charges input, output, cache read and 5m (1.25×) / 1h (2×) cache writes', () => {
    const c = costOf('claude-opus-4-5-20251101', tokens({ input: 1e6, output: 1e6, cacheRead: 1e6, cacheCreation: 3e6, cacheCreation5m: 1e6, cacheCreation1h: 2e6 }));
    expect(c).toEqual({ costUsd: 5 + 25 + 0.5 + 6.25 + 20, unpriced: false });
  });

  it('a model without a price costs 0 and says so', () => {
    expect(costOf('mystery-model', tokens({ input: 10 }))).toEqual({ costUsd: 0, unpriced: true });
  });

  it('prices a whole request at the long-context tier when its prompt exceeds 200k tokens', () => {
    const below = costOf('claude-sonnet-4-5', tokens({ input: 100_000, cacheRead: 100_000, output: 1000 }));
    const above = costOf('claude-sonnet-4-5', tokens({ input: 100_001, cacheRead: 100_000, output: 1000 }));
    expect(below.costUsd).toBeCloseTo(0.3 + 0.03 + 0.015, 9);
    expect(above.costUsd).toBeCloseTo(100_001 * 6e-6 + 100_000 * 0.6e-6 + 1000 * 22.5e-6, 9);
    expect(PRICING['claude-opus-4-5'].tier).toBeUndefined();
  });

  it('cost modes: auto prefers the line costUSD, calculate ignores it, display uses only it', () => {
    const r = { model: 'claude-haiku-4-5', tokens: tokens({ input: 1e6 }), costUsd: 9 } as UsageRecord;
    expect(recordCost(r, 'auto').costUsd).toBe(9);
    expect(recordCost(r, 'calculate').costUsd).toBe(1);
    expect(recordCost({ ...r, costUsd: undefined } as UsageRecord, 'display').costUsd).toBe(0);
    expect(recordCost({ ...r, costUsd: undefined } as UsageRecord, 'auto').costUsd).toBe(1);
  });

  it('rounds micro-USD half to even, like the stored per-message costs', () => {
    expect(roundMicroUsd(1.5e-6)).toBe(2);
    expect(roundMicroUsd(2.5e-6)).toBe(2);
    expect(roundMicroUsd(2.6e-6)).toBe(3);
  });

  it('validates override files and merges them over the table', () => {
    const t = parsePricingOverrides({ 'my-model': { input: 2, output: 4 }, 'claude-opus-4-5': { input: 1, output: 2, tier: { threshold: 10, input: 3, output: 6 } } });
    if (isPricingOverrideError(t)) throw new Error(t.error);
    expect(costOf('my-model', tokens({ input: 1e6, cacheRead: 1e6 }), t).costUsd).toBeCloseTo(2.2, 9);
    expect(costOf('claude-opus-4-5-20251101', tokens({ input: 11 }), t).costUsd).toBeCloseTo(33e-6, 12);
    expect(parsePricingOverrides([])).toHaveProperty('error');
    expect(parsePricingOverrides({ x: { input: 'cheap', output: 1 } })).toEqual({ error: 'x needs non-negative numbers input and output' });
    expect(parsePricingOverrides({ x: { input: 1, output: 1, cacheRead: -1 } })).toHaveProperty('error');
  });
});
