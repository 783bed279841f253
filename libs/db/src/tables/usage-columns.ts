import type { Int8, Money } from './column-types';

/** The token counters and cost every usage table stores, from a single response up to a session. */
export interface UsageColumns {
  input_tokens: Int8;
  output_tokens: Int8;
  cache_read_tokens: Int8;
  cache_creation_tokens: Int8;
  cache_creation_5m_tokens: Int8;
  cache_creation_1h_tokens: Int8;
  /** input + output + cache read + cache creation; the keep-max rule compares it */
  total_tokens: Int8;
  cost_usd: Money;
}
