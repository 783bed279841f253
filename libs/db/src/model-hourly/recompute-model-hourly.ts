import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table, uniqueBy } from '../sql-helpers';
import type { ModelHourKey } from './model-hour-key';
import { recomputeTeamHourly } from './recompute-team-hourly';

/**
 * Recomputes `usage_model_hourly` for the given keys from `usage_messages` (a GROUP BY over the
 * facts of those hours only) and deletes keys whose messages all moved away. Exact whatever the
 * order batches arrived in; running it twice changes nothing. Then rolls the same keys up into
 * `usage_team_hourly`, which is derived from this table.
 */
export async function recomputeModelHourly(db: Kysely<Database>, schema: string, keys: readonly ModelHourKey[]): Promise<void> {
  const k = uniqueBy(keys, (x) => `${x.hour.toISOString()}\u0000${x.userName}\u0000${x.project}\u0000${x.model}`);
  if (k.length === 0) return;
  const h = table(schema, 'usage_model_hourly');
  const m = table(schema, 'usage_messages');
  const keyRows = sql`unnest(${k.map((x) => x.hour.toISOString())}::timestamptz[], ${k.map((x) => x.userName)}::text[],
      ${k.map((x) => x.project)}::text[], ${k.map((x) => x.model)}::text[]) as k(hour, user_name, project, model)`;
  await sql`
    with k as (select * from ${keyRows}),
    agg as (
      select k.hour, k.user_name, k.project, k.model,
        sum(m.input_tokens) as i, sum(m.output_tokens) as o, sum(m.cache_read_tokens) as cr,
        sum(m.cache_creation_tokens) as cc, sum(m.cache_creation_5m_tokens) as c5,
        sum(m.cache_creation_1h_tokens) as c1, sum(m.total_tokens) as tot, sum(m.cost_usd) as cost, count(*) as n
      from k join ${m} m on m.user_name = k.user_name and coalesce(m.project, '') = k.project and m.model = k.model
        and m.ts >= k.hour and m.ts < k.hour + interval '1 hour'
      group by k.hour, k.user_name, k.project, k.model
    ), gone as (
      delete from ${h} h using k
      where h.hour = k.hour and h.user_name = k.user_name and h.project = k.project and h.model = k.model
        and not exists (select 1 from agg where agg.hour = k.hour and agg.user_name = k.user_name
          and agg.project = k.project and agg.model = k.model)
    )
    insert into ${h} as t (hour, user_name, project, model, input_tokens, output_tokens, cache_read_tokens,
      cache_creation_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, messages)
    select hour, user_name, project, model, i, o, cr, cc, c5, c1, tot, cost, n from agg
    on conflict (hour, user_name, project, model) do update set
      input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
      cache_read_tokens = excluded.cache_read_tokens, cache_creation_tokens = excluded.cache_creation_tokens,
      cache_creation_5m_tokens = excluded.cache_creation_5m_tokens,
      cache_creation_1h_tokens = excluded.cache_creation_1h_tokens, total_tokens = excluded.total_tokens,
      cost_usd = excluded.cost_usd, messages = excluded.messages`.execute(db);
  await recomputeTeamHourly(db, schema, k);
}
