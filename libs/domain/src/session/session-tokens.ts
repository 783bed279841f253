import { recordCost, type CostMode } from '../pricing/cost';
import type { PricingTable } from '../pricing/pricing.table';
import type { UsageRecord } from '../usage/usage-record';
import type { SessionTokens } from './session-summary';
import { addTokens, zeroTokens } from '../usage/token-fields';

/** Sums kept responses per (kept) sessionId; responses without a session are left out. */
export function tokensBySession(
  records: Iterable<UsageRecord>,
  opts: { costMode?: CostMode; pricing?: PricingTable } = {},
): Map<string, SessionTokens> {
  const out = new Map<string, SessionTokens>();
  for (const r of records) {
    if (r.sessionId === undefined) continue;
    let s = out.get(r.sessionId);
    if (!s) out.set(r.sessionId, (s = { tokens: zeroTokens(), costUsd: 0 }));
    addTokens(s.tokens, r.tokens);
    s.costUsd += recordCost(r, opts.costMode, opts.pricing).costUsd;
  }
  return out;
}
