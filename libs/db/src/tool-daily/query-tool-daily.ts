import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database';
import type { UsageToolDailyTable } from '../tables/usage-tool-daily.table';

/** Tool rollup rows over UTC days `[fromDay, toDay]` (inclusive, `YYYY-MM-DD`), optionally one user. */
export async function queryToolDaily(
  db: Kysely<Database>,
  schema: string,
  q: { fromDay: string; toDay: string; user?: string },
): Promise<Selectable<UsageToolDailyTable>[]> {
  let query = db.withSchema(schema).selectFrom('usage_tool_daily').selectAll().where('day', '>=', q.fromDay).where('day', '<=', q.toDay);
  if (q.user !== undefined) query = query.where('user_name', '=', q.user);
  return query.orderBy('day').orderBy('user_name').orderBy('tool_name').execute();
}
