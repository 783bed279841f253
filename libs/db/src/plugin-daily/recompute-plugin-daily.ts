import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { type PluginDayKey, pluginDayId } from '../events/event-keys';
import { uniqueBy } from '../sql-helpers';
import { pluginEventsSql } from './plugin-events.sql';

/**
 * Recomputes `usage_plugin_daily` for every plugin of the given (UTC day, user) pairs from
 * `usage_events` joined with the attribution catalogs, and deletes rows left empty. Call it with
 * all keys (`allPluginDays`) after a catalog load to re-attribute history.
 */
export async function recomputePluginDaily(db: Kysely<Database>, schema: string, keys: readonly PluginDayKey[]): Promise<void> {
  const k = uniqueBy(keys, pluginDayId);
  if (k.length === 0) return;
  const q = (name: string) => `"${schema.replace(/"/g, '""')}"."${name}"`;
  await sql`
    with k as (
      select * from unnest(${k.map((x) => x.day)}::date[], ${k.map((x) => x.userName)}::text[]) as k(day, user_name)
    ), agg as (
      select pe.day, pe.user_name, pe.kind, pe.name, min(pe.source) as source, min(pe.ref_id) as ref_id, count(*) as n
      from (${sql.raw(
        pluginEventsSql(`k join ${q('usage_events')} e on e.user_name = k.user_name
          and e.ts >= k.day::timestamp at time zone 'UTC' and e.ts < (k.day + 1)::timestamp at time zone 'UTC'`),
      )}) pe
      group by pe.day, pe.user_name, pe.kind, pe.name
    ), gone as (
      delete from ${sql.raw(q('usage_plugin_daily'))} t using k
      where t.day = k.day and t.user_name = k.user_name
        and not exists (select 1 from agg where agg.day = t.day and agg.user_name = t.user_name
          and agg.kind = t.kind and agg.name = t.name)
    )
    insert into ${sql.raw(q('usage_plugin_daily'))} (day, user_name, kind, name, source, ref_id, invocations)
    select day, user_name, kind, name, source, ref_id, n from agg
    on conflict (day, user_name, kind, name) do update set
      source = excluded.source, ref_id = excluded.ref_id, invocations = excluded.invocations`.execute(db);
}

/** Every (day, user) present in the plugin rollup or the events — for a full re-attribution. */
export async function allPluginDays(db: Kysely<Database>, schema: string): Promise<PluginDayKey[]> {
  const result = await sql<{ day: string; user_name: string }>`
    select distinct (ts at time zone 'UTC')::date::text as day, user_name from ${sql.id(schema, 'usage_events')}
    where ts is not null`.execute(db);
  return result.rows.map((r) => ({ day: r.day, userName: r.user_name }));
}
