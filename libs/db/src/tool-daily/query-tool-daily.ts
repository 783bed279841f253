import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import type { DayRange } from '../day-range';
import { table } from '../sql-helpers';

/** One tool's use by one person on one UTC day. */
export interface ToolDayRecord {
  day: string;
  user: string;
  tool: string;
  calls: number;
  errors: number;
  avgDurationMs: number | null;
  /** Uses the person let run / rejected (docs/outcome-metrics.md). */
  accepted?: number;
  rejected?: number;
}

/** Tool days in the range, busiest tool first within a day and user (decisions not joined). */
export async function queryToolDaily(db: Kysely<Database>, schema: string, q: DayRange): Promise<ToolDayRecord[]> {
  const r = await sql<ToolDayRecord>`
    select day, user_name as "user", tool_name as tool, calls::int as calls, errors::int as errors,
      case when duration_count > 0 then duration_ms_sum::float8 / duration_count end as "avgDurationMs"
    from ${table(schema, 'usage_tool_daily')}
    where day between ${q.from}::date and ${q.to}::date
      ${q.users ? sql`and user_name = any(${q.users}::text[])` : sql``}
    order by day, "user", calls desc, tool`.execute(db);
  return r.rows;
}
