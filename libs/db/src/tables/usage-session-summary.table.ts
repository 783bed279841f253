import type { ColumnType } from 'kysely';
import { SESSION_COUNTS, type SessionCount } from '@ccpulse/domain';
import { columnsOf, type ColumnName } from './column-names';
import type { UsageColumns } from './usage-columns';
import type { CreatedAt, Generated, Int8, NullableTimestamp } from './column-types';

/** The columns of the session's counts (the domain's `SESSION_COUNTS`), in their column order. */
export const SESSION_COUNT_COLUMNS: readonly ColumnName<SessionCount>[] = columnsOf(SESSION_COUNTS);

/** One integer column per count of `SESSION_COUNTS`, 0 until written. */
export type SessionCountColumns = Record<ColumnName<SessionCount>, Generated<number>>;

/**
 * `usage_session_summary` (projection schema): the counting rules' session fields, one row each.
 * The counts' columns (`SessionCountColumns`) come between `wall_seconds` and `distinct_tools`.
 */
export interface UsageSessionSummaryTable extends UsageColumns, SessionCountColumns {
  session_id: string;
  user_name: string;
  project: string | null;
  git_branch: string | null;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  active_seconds: Int8;
  wall_seconds: Int8;
  distinct_tools: number;
  distinct_skills: number;
  primary_model: string | null;
  processor_version: number;
  /** the domain's bounded session state, so the next batch can evolve it */
  state: ColumnType<unknown, string, string>;
  last_seq: Int8;
  updated_at: CreatedAt;
}
