import type { ColumnType } from 'kysely';
import type { Int8 } from './column-types';

/** A `date` column, read back as `YYYY-MM-DD` (the pool parses dates as text). */
export type DateText = ColumnType<string, string | Date, string | Date>;

/** `usage_tool_daily` (projection schema): tool events per UTC day, user and tool. */
export interface UsageToolDailyTable {
  day: DateText;
  user_name: string;
  tool_name: string;
  calls: Int8;
  errors: Int8;
  duration_ms_sum: Int8;
  duration_count: Int8;
}
