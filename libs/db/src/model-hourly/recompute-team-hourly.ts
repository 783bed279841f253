import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table, uniqueBy } from '../sql-helpers';
import type { ModelHourKey } from './model-hour-key';

/**
 * Recomputes `usage_team_hourly` for the (hour, model) of the given keys from `usage_model_hourly`
 * (so run it after that table's recompute, in the same transaction) and deletes pairs with no
 * rows left. Summing the few user × project rows of one hour and model keeps the cost per touched
 * key, not per message.
 */
export async function recomputeTeamHourly(db: Kysely<Database>, schema: string, keys: readonly ModelHourKey[]): Promise<void> {
  const k = uniqueBy(keys, (x) => `${x.hour.toISOString()}\u0000${x.model}`);
  if (k.length === 0) return;
  const t = table(schema, 'usage_team_hourly');
  const h = table(schema, 'usage_model_hourly');
  await sql`
    with k as (select * from unnest(${k.map((x) => x.hour.toISOString())}::timestamptz[], ${k.map((x) => x.model)}::text[]) as k(hour, model)),
    agg as (
      select k.hour, k.model,
        sum(h.input_tokens) as i, sum(h.output_tokens) as o, sum(h.cache_read_tokens) as cr,
        sum(h.cache_creation_tokens) as cc, sum(h.cache_creation_5m_tokens) as c5,
        sum(h.cache_creation_1h_tokens) as c1, sum(h.total_tokens) as tot, sum(h.cost_usd) as cost, sum(h.messages) as n
      from k join ${h} h on h.hour = k.hour and h.model = k.model
      group by k.hour, k.model
    ), gone as (
      delete from ${t} t using k
      where t.hour = k.hour and t.model = k.model
        and not exists (select 1 from agg where agg.hour = k.hour and agg.model = k.model)
    )
    insert into ${t} as t (hour, model, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
      cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, messages)
    select hour, model, i, o, cr, cc, c5, c1, tot, cost, n from agg
    on conflict (hour, model) do update set
      input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
      cache_read_tokens = excluded.cache_read_tokens, cache_creation_tokens = excluded.cache_creation_tokens,
      cache_creation_5m_tokens = excluded.cache_creation_5m_tokens,
      cache_creation_1h_tokens = excluded.cache_creation_1h_tokens, total_tokens = excluded.total_tokens,
      cost_usd = excluded.cost_usd, messages = excluded.messages`.execute(db);
}
