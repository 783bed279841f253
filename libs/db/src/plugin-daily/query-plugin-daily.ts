import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database';
import type { PluginKind, UsagePluginDailyTable } from '../tables/usage-plugin-daily.table';

/** Plugin rollup rows over UTC days `[fromDay, toDay]` (inclusive), optionally one user / kind. */
export async function queryPluginDaily(
  db: Kysely<Database>,
  schema: string,
  q: { fromDay: string; toDay: string; user?: string; kind?: PluginKind },
): Promise<Selectable<UsagePluginDailyTable>[]> {
  let query = db.withSchema(schema).selectFrom('usage_plugin_daily').selectAll().where('day', '>=', q.fromDay).where('day', '<=', q.toDay);
  if (q.user !== undefined) query = query.where('user_name', '=', q.user);
  if (q.kind !== undefined) query = query.where('kind', '=', q.kind);
  return query.orderBy('day').orderBy('user_name').orderBy('kind').orderBy('name').execute();
}
