import type { Int8, Money, Timestamp } from './column-types';

/** `usage_model_hourly` (projection schema): kept messages per UTC hour, user, project and model. */
export interface UsageModelHourlyTable {
  hour: Timestamp;
  user_name: string;
  /** '' when the messages had no cwd (part of the key, so never null) */
  project: string;
  model: string;
  input_tokens: Int8;
  output_tokens: Int8;
  cache_read_tokens: Int8;
  cache_creation_tokens: Int8;
  cache_creation_5m_tokens: Int8;
  cache_creation_1h_tokens: Int8;
  total_tokens: Int8;
  cost_usd: Money;
  messages: Int8;
}
