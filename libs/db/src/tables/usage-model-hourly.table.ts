import type { Int8, Timestamp } from './column-types';
import type { UsageColumns } from './usage-columns';

/** `usage_model_hourly` (projection schema): kept messages per UTC hour, user, project and model. */
export interface UsageModelHourlyTable extends UsageColumns {
  hour: Timestamp;
  user_name: string;
  /** '' when the messages had no cwd (part of the key, so never null) */
  project: string;
  model: string;
  messages: Int8;
}
