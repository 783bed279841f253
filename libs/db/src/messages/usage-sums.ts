import type { TokenField } from '@ccpulse/domain';

/** The six token counters (the domain's `TOKEN_FIELDS`) of one response or of a sum of responses. */
export type TokenCounters<N = number> = Record<TokenField, N>;

/** Sums over kept `usage_messages` rows: the counters every usage read model reports. */
export interface UsageSums extends TokenCounters {
  totalTokens: number;
  costUsd: number;
  messages: number;
}

/**
 * Token counters, total and cost as the API serves them: int8 columns and sums arrive as numbers,
 * or as bigints past 2^53.
 */
export interface TokenTotals extends TokenCounters<number | bigint> {
  totalTokens: number | bigint;
  costUsd: number;
}
