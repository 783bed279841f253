import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { ENTRY_COPY_ORDER, EVENT_COPY_ORDER, USAGE_COPY_ORDER } from '@ccpulse/domain';
import { copyOrderBy } from '../copy-order.sql';
import { entryCopyColumn } from '../entries/insert-entries';
import { eventCopyColumn } from '../events/upsert-usage-events';
import { usageCopyColumn } from '../messages/upsert-usage-messages';
import { pluginEventsSql } from '../plugin-daily/plugin-events.sql';
import { projectionIndexDdl } from '../projection/projection-ddl';
import { totalTokensSql } from '../tables/usage-columns';
import { BULK_STAGING_TABLES } from './bulk-staging';

/** What the session phase of a bulk build needs after the set-based part. */
export interface BulkLoadResult {
  /** Every session with a stored entry or a folded state, sorted. */
  sessions: string[];
  /**
   * Sessions whose state, folded as the stream came, counted something the stored winners do not
   * have: a copy of an entry or a tool use that lost to another copy. They are folded again from
   * their stored entries.
   */
  dirty: string[];
}

/**
 * Turns the staging tables of a bulk build into the projection, in the caller's transaction,
 * with the live fold's rules applied once to the whole stream instead of batch by batch:
 * - entries: per key the uuid winner (earliest ts, then smallest session id, then the first in
 *   the stream); the other copies are deleted, and every row derived from them is left out;
 * - responses: keep-max per message key; events: the earliest copy per key, joined with the
 *   merged tool results (any error, earliest result, most patch lines);
 * - rollups: GROUP BY over those facts (what the incremental recomputes converge to);
 * - session rows: the folded states as placeholders (the caller summarises them with
 *   `foldSessionStates`), then the secondary indexes, then the staging tables are dropped.
 */
export async function finishBulkLoad(
  trx: Kysely<Database>,
  schema: string,
  build: { processorVersion: number; lastSeq: number },
): Promise<BulkLoadResult> {
  const t = (name: string) => sql.id(schema, name);
  const run = (q: ReturnType<typeof sql>) => q.execute(trx);
  await run(sql`set local work_mem = '128MB'`);
  await run(sql`set local maintenance_work_mem = '256MB'`);

  await run(sql`create temp table bulk_losers (stream_seq bigint primary key, session_id text) on commit drop`);
  // Nearly every key has one copy: rank only the copies of keys that have several.
  await run(sql`
    insert into bulk_losers
    select stream_seq, session_id from (
      select e.stream_seq, e.session_id, row_number() over (
        partition by e.entry_key order by ${sql.raw(copyOrderBy(ENTRY_COPY_ORDER, entryCopyColumn('e')))}, e.stream_seq) as rank
      from ${t('usage_entries')} e
      join (select entry_key from ${t('usage_entries')} group by entry_key having count(*) > 1) copied using (entry_key)) copies
    where rank > 1`);
  const kept = (alias: string) => sql.raw(`not exists (select 1 from bulk_losers l where l.stream_seq = ${alias}.stream_seq)`);

  await run(sql`delete from ${t('usage_entries')} e using bulk_losers l where l.stream_seq = e.stream_seq`);
  await run(sql`alter table ${t('usage_entries')} add primary key (entry_key)`);

  await run(sql`
    insert into ${t('usage_messages')} (message_key, entry_key, user_name, session_id, project, model, ts, is_sidechain, message_id,
      input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cache_creation_5m_tokens,
      cache_creation_1h_tokens, total_tokens, cost_usd, unpriced, stream_seq)
    select distinct on (message_key) message_key, entry_key, user_name, session_id, project, model, ts, is_sidechain, message_id,
      input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cache_creation_5m_tokens,
      cache_creation_1h_tokens, ${sql.raw(totalTokensSql())}, cost_usd, unpriced, stream_seq
    from ${t('bulk_messages')} b where ${kept('b')}
    order by message_key, ${sql.raw(copyOrderBy(USAGE_COPY_ORDER, (f) => (f === 'totalTokens' ? totalTokensSql('b') : usageCopyColumn('b')(f))))}, stream_seq`);
  // The sidechain replay rule (as upsertUsageMessages applies it batch by batch): a sidechain
  // response whose message.id is also on a main-chain response is not counted.
  await run(sql`
    delete from ${t('usage_messages')} r
    where r.is_sidechain and r.message_id is not null
      and exists (select 1 from ${t('usage_messages')} m where m.message_id = r.message_id and not m.is_sidechain)`);

  await run(sql`
    insert into ${t('usage_tool_results')} (tool_use_id, is_error, ts, patch_lines)
    select tool_use_id, bool_or(is_error), min(ts), max(patch_lines)
    from ${t('bulk_tool_results')} b where ${kept('b')} group by tool_use_id`);

  await run(sql`
    insert into ${t('usage_events')} (event_key, entry_key, tool_use_id, user_name, session_id, project, ts, event_type,
      tool_name, skill_name, subagent_type, mcp_server, command_name, is_error, duration_ms, stream_seq)
    select e.event_key, e.entry_key, e.tool_use_id, e.user_name, e.session_id, e.project, e.ts, e.event_type,
      e.tool_name, e.skill_name, e.subagent_type, e.mcp_server, e.command_name, coalesce(r.is_error, false),
      case when r.ts is not null and e.ts is not null then greatest(0, round(extract(epoch from (r.ts - e.ts)) * 1000))::bigint end,
      e.stream_seq
    from (
      select distinct on (event_key) * from ${t('bulk_events')} b where ${kept('b')}
      order by event_key, ${sql.raw(copyOrderBy(EVENT_COPY_ORDER, eventCopyColumn('b')))}, stream_seq
    ) e left join ${t('usage_tool_results')} r on r.tool_use_id = e.tool_use_id`);

  await rebuildRollups(trx, schema);

  await run(sql`
    insert into ${t('usage_session_summary')} (session_id, user_name, processor_version, state, last_seq)
    select session_id, user_name, ${build.processorVersion}, state::jsonb, ${build.lastSeq} from ${t('bulk_session_states')}`);

  for (const statement of projectionIndexDdl(schema)) await run(sql.raw(statement));

  const dirty = await sql<{ session_id: string }>`
    select session_id from bulk_losers where session_id <> ''
    union
    select b.session_id from ${t('bulk_events')} b join ${t('usage_events')} e on e.event_key = b.event_key
    where b.session_id <> '' and e.stream_seq <> b.stream_seq`.execute(trx);
  const sessions = await sql<{ session_id: string }>`
    select session_id from ${t('bulk_session_states')}
    union
    select distinct session_id from ${t('usage_entries')} where session_id <> ''
    order by 1`.execute(trx);

  for (const name of BULK_STAGING_TABLES) await run(sql`drop table ${t(name)}`);
  return { sessions: sessions.rows.map((r) => r.session_id), dirty: dirty.rows.map((r) => r.session_id) };
}

/**
 * Fills the rollup tables from the facts in one GROUP BY each: the full form of the keyed
 * recomputes (`recomputeModelHourly`, `recomputeTeamHourly`, `recomputeToolDaily`,
 * `recomputePluginDaily`), for a schema whose rollups are empty.
 */
export async function rebuildRollups(trx: Kysely<Database>, schema: string): Promise<void> {
  const t = (name: string) => sql.id(schema, name);
  await sql`
    insert into ${t('usage_model_hourly')} (hour, user_name, project, model, input_tokens, output_tokens, cache_read_tokens,
      cache_creation_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, messages)
    select date_trunc('hour', ts, 'UTC'), user_name, coalesce(project, ''), model, sum(input_tokens), sum(output_tokens),
      sum(cache_read_tokens), sum(cache_creation_tokens), sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens),
      sum(total_tokens), sum(cost_usd), count(*)
    from ${t('usage_messages')} where ts is not null group by 1, 2, 3, 4`.execute(trx);
  await sql`
    insert into ${t('usage_team_hourly')} (hour, model, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
      cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, messages)
    select hour, model, sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens),
      sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens), sum(total_tokens), sum(cost_usd), sum(messages)
    from ${t('usage_model_hourly')} group by hour, model`.execute(trx);
  await sql`
    insert into ${t('usage_tool_daily')} (day, user_name, tool_name, calls, errors, duration_ms_sum, duration_count)
    select (ts at time zone 'UTC')::date, user_name, tool_name, count(*), count(*) filter (where is_error),
      coalesce(sum(duration_ms), 0), count(duration_ms)
    from ${t('usage_events')} where ts is not null and tool_name is not null group by 1, 2, 3`.execute(trx);
  const q = (name: string) => `"${schema.replace(/"/g, '""')}"."${name}"`;
  await sql`
    insert into ${t('usage_plugin_daily')} (day, user_name, kind, name, source, ref_id, invocations)
    select pe.day, pe.user_name, pe.kind, pe.name, min(pe.source), min(pe.ref_id), count(*)
    from (${sql.raw(pluginEventsSql(`${q('usage_events')} e`))}) pe
    group by pe.day, pe.user_name, pe.kind, pe.name`.execute(trx);
}
