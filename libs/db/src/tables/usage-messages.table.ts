import type { Int8, NullableTimestamp } from './column-types';
import type { UsageColumns } from './usage-columns';

/** `usage_messages` (projection schema): one row per API response (`message.id:requestId`). */
export interface UsageMessagesTable extends UsageColumns {
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
  /** the model had no price, so cost_usd is 0 without meaning "free" */
  unpriced: boolean;
  stream_seq: Int8;
}
