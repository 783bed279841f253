import type { Int8, Money, NullableTimestamp } from './column-types';

/** `usage_messages` (projection schema): one row per API response (`message.id:requestId`). */
export interface UsageMessagesTable {
  message_key: string;
  entry_key: string;
  user_name: string;
  session_id: string;
  project: string | null;
  model: string;
  ts: NullableTimestamp;
  is_sidechain: boolean;
  /** `message.id`: a sidechain row whose id is also on a main-chain row is a replay and is deleted */
  message_id: string | null;
  input_tokens: Int8;
  output_tokens: Int8;
  cache_read_tokens: Int8;
  cache_creation_tokens: Int8;
  cache_creation_5m_tokens: Int8;
  cache_creation_1h_tokens: Int8;
  /** input + output + cache read + cache creation; the keep-max rule compares it */
  total_tokens: Int8;
  cost_usd: Money;
  /** the model had no price, so cost_usd is 0 without meaning "free" */
  unpriced: boolean;
  stream_seq: Int8;
}
