import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { type ToolDayKey, toolDayId } from '../events/event-keys';
import { table, uniqueBy } from '../sql-helpers';

/**
 * Recomputes `usage_tool_daily` for the given (UTC day, user, tool) keys from `usage_events`
 * (every event with a tool name: tool_use, subagent, mcp_call) and deletes keys left empty.
 */
export async function recomputeToolDaily(db: Kysely<Database>, schema: string, keys: readonly ToolDayKey[]): Promise<void> {
  const k = uniqueBy(keys, toolDayId);
  if (k.length === 0) return;
  const d = table(schema, 'usage_tool_daily');
  const e = table(schema, 'usage_events');
  await sql`
    with k as (
      select * from unnest(${k.map((x) => x.day)}::date[], ${k.map((x) => x.userName)}::text[],
        ${k.map((x) => x.toolName)}::text[]) as k(day, user_name, tool_name)
    ), agg as (
      select k.day, k.user_name, k.tool_name, count(*) as calls, count(*) filter (where e.is_error) as errors,
        coalesce(sum(e.duration_ms), 0) as dsum, count(e.duration_ms) as dcount
      from k join ${e} e on e.user_name = k.user_name and e.tool_name = k.tool_name
        and e.ts >= k.day::timestamp at time zone 'UTC' and e.ts < (k.day + 1)::timestamp at time zone 'UTC'
      group by k.day, k.user_name, k.tool_name
    ), gone as (
      delete from ${d} t using k
      where t.day = k.day and t.user_name = k.user_name and t.tool_name = k.tool_name
        and not exists (select 1 from agg where agg.day = k.day and agg.user_name = k.user_name and agg.tool_name = k.tool_name)
    )
    insert into ${d} (day, user_name, tool_name, calls, errors, duration_ms_sum, duration_count)
    select day, user_name, tool_name, calls, errors, dsum, dcount from agg
    on conflict (day, user_name, tool_name) do update set calls = excluded.calls, errors = excluded.errors,
      duration_ms_sum = excluded.duration_ms_sum, duration_count = excluded.duration_count`.execute(db);
}
