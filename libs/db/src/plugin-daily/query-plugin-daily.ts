import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import type { DayRange } from '../day-range';
import { table } from '../sql-helpers';

/** One skill, agent or command's invocations by one person on one UTC day. */
export interface PluginDayRecord {
  day: string;
  user: string;
  kind: string;
  name: string;
  source: string;
  refId: string | null;
  invocations: number;
}

/** Plugin days in the range, most invoked first within a day and user. */
export async function queryPluginDaily(db: Kysely<Database>, schema: string, q: DayRange): Promise<PluginDayRecord[]> {
  const r = await sql<PluginDayRecord>`
    select day, user_name as "user", kind, name, source, ref_id as "refId", invocations::int as invocations
    from ${table(schema, 'usage_plugin_daily')}
    where day between ${q.from}::date and ${q.to}::date
      ${q.users ? sql`and user_name = any(${q.users}::text[])` : sql``}
    order by day, "user", invocations desc, kind, name`.execute(db);
  return r.rows;
}
