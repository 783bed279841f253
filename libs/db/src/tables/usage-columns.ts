import type { Int8, Money } from './column-types';

/** The columns of the six token counters, in their column order in every usage table. */
export const TOKEN_COUNTER_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_creation_tokens',
  'cache_creation_5m_tokens',
  'cache_creation_1h_tokens',
] as const;

/** The token counters and cost every usage table stores, from a single response up to a session. */
export interface UsageColumns extends Record<(typeof TOKEN_COUNTER_COLUMNS)[number], Int8> {
  /** input + output + cache read + cache creation; the keep-max rule compares it */
  total_tokens: Int8;
  cost_usd: Money;
}
