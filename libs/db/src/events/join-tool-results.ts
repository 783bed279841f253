import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table } from '../sql-helpers';
import type { EventTouches } from './event-keys';
import { TOUCH_COLUMNS, type TouchedEventRow, touchesOf } from './touches';

/**
 * Copies `is_error` and the duration (result ts − use ts) from stored results onto the events
 * with these tool_use ids, whichever of the two arrived first. Only rows that change are
 * written, so a second run touches nothing. The ids drive the join (index lookups on both
 * tables): written as `r.tool_use_id = any(ids)` the planner hashed a scan of every event, so the
 * cost grew with the table instead of the batch.
 */
export async function joinToolResults(db: Kysely<Database>, schema: string, toolUseIds: readonly string[]): Promise<EventTouches> {
  if (toolUseIds.length === 0) return { sessions: [], toolDays: [], pluginDays: [] };
  const e = table(schema, 'usage_events');
  const r = table(schema, 'usage_tool_results');
  const result = await sql<TouchedEventRow>`
    update ${e} as e set
      is_error = r.is_error,
      duration_ms = case when r.ts is not null and e.ts is not null
        then greatest(0, round(extract(epoch from (r.ts - e.ts)) * 1000))::bigint end
    from unnest(${[...new Set(toolUseIds)]}::text[]) as ids(id) join ${r} as r on r.tool_use_id = ids.id
    where e.tool_use_id = ids.id
      and (e.is_error, e.duration_ms) is distinct from (r.is_error, case when r.ts is not null and e.ts is not null
        then greatest(0, round(extract(epoch from (r.ts - e.ts)) * 1000))::bigint end)
    returning ${sql.raw(TOUCH_COLUMNS.replace(/\b(session_id|ts|user_name|tool_name|skill_name|event_type)\b/g, 'e.$1'))}`.execute(db);
  return touchesOf(result.rows);
}
