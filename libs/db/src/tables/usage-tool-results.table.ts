import type { NullableInt8, NullableTimestamp } from './column-types';

/** `usage_tool_results` (projection schema): results kept so use and result join in either order. */
export interface UsageToolResultsTable {
  tool_use_id: string;
  /** any copy of the result said is_error */
  is_error: boolean;
  /** the earliest result line's timestamp */
  ts: NullableTimestamp;
  patch_lines: NullableInt8;
}
