import type { ColumnType } from 'kysely';
import type { UsageColumns } from './usage-columns';
import type { CreatedAt, Int8, NullableTimestamp } from './column-types';

/** `usage_session_summary` (projection schema): the counting rules' session fields, one row each. */
export interface UsageSessionSummaryTable extends UsageColumns {
  session_id: string;
  user_name: string;
  project: string | null;
  git_branch: string | null;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  active_seconds: Int8;
  wall_seconds: Int8;
  user_messages: number;
  assistant_messages: number;
  prompts: number;
  tool_calls: number;
  tool_errors: number;
  skill_invocations: number;
  subagent_dispatches: number;
  mcp_calls: number;
  slash_commands: number;
  distinct_tools: number;
  distinct_skills: number;
  primary_model: string | null;
  processor_version: number;
  /** the domain's bounded session state, so the next batch can evolve it */
  state: ColumnType<unknown, string, string>;
  last_seq: Int8;
  updated_at: CreatedAt;
}
