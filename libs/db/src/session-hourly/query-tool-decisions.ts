import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import type { DayRange } from '../day-range';
import { table } from '../sql-helpers';

/** Accept/reject decisions of one tool on one UTC day for one user. */
export interface ToolDecisionRecord {
  day: string;
  user: string;
  tool: string;
  accepted: number;
  rejected: number;
}

/** Decisions per UTC day, user and tool (the `toolDaily` days), from the read model's `tool_decisions`. */
export async function queryToolDecisions(db: Kysely<Database>, schema: string, q: DayRange): Promise<ToolDecisionRecord[]> {
  const result = await sql<ToolDecisionRecord>`
    select to_char((h.hour at time zone 'UTC')::date, 'YYYY-MM-DD') as day, h.user_name as "user", t.key as tool,
      sum((t.value->>'accepted')::int)::int as accepted, sum((t.value->>'rejected')::int)::int as rejected
    from ${table(schema, 'usage_session_hourly')} h, jsonb_each(h.tool_decisions) t
    where h.hour >= (${q.from}::date)::timestamp at time zone 'UTC' and h.hour < (${q.to}::date + 1)::timestamp at time zone 'UTC'
      ${q.users ? sql`and h.user_name = any(${q.users}::text[])` : sql``}
    group by 1, 2, 3`.execute(db);
  return result.rows;
}
