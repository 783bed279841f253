import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { compareByOrder, epochMicros, totalOfTokenFields, USAGE_COPY_ORDER } from '@ccpulse/domain';
import { copyRow } from '../copy-order.sql';
import { isoOrNull, table, uniqueBy } from '../sql-helpers';
import { totalTokensSql } from '../tables/usage-columns';
import type { ModelHourKey } from '../model-hourly/model-hour-key';
import type { TokenCounters } from './usage-sums';

/** One API response's usage as the aggregator counted it (cost already computed by the domain). */
export interface UsageMessageRow extends TokenCounters {
  /** `message.id:requestId`, else the entry key */
  messageKey: string;
  entryKey: string;
  userName: string;
  sessionId: string;
  project: string | null;
  model: string;
  ts: Date | string | null;
  isSidechain: boolean;
  /** `message.id` (null when the line has none): recognises sidechain replays across message keys */
  messageId: string | null;
  costUsd: number;
  unpriced: boolean;
  streamSeq: number;
}

/** What an upsert changed: sessions whose token totals moved (old and new owners) and hourly keys. */
export interface UsageUpsertResult {
  touchedSessions: string[];
  touchedHours: ModelHourKey[];
  /** rows inserted or replaced */
  written: number;
}

/** The columns of USAGE_COPY_ORDER's fields, for the SQL forms of the rule. */
export function usageCopyColumn(alias: string): (field: UsageCopyField) => string {
  const columns: Record<UsageCopyField, string> = {
    isSidechain: 'is_sidechain', totalTokens: 'total_tokens', ts: 'ts', sessionId: 'session_id', entryKey: 'entry_key',
  };
  return (field) => `${alias}.${columns[field]}`;
}

type UsageCopyField = (typeof USAGE_COPY_ORDER)[number]['field'];

/** The keep-max rule (the domain's USAGE_COPY_ORDER, timestamps in microseconds): true when `a` is kept over `b`. */
export function usageWins(a: UsageMessageRow, b: UsageMessageRow): boolean {
  const value = (r: UsageMessageRow) => (field: UsageCopyField) => {
    switch (field) {
      case 'isSidechain': return r.isSidechain;
      case 'totalTokens': return totalOfTokenFields(r);
      case 'ts': return epochMicros(r.ts);
      case 'sessionId': return r.sessionId;
      case 'entryKey': return r.entryKey;
    }
  };
  return compareByOrder(USAGE_COPY_ORDER, value(a), value(b)) < 0;
}

/**
 * Upserts usage rows by message key with the keep-max rule, in one statement (pre-aggregated per
 * key, since Postgres refuses to touch a row twice). Returns the sessions whose totals changed —
 * both the previous and the new owner when a message moved — and the touched hourly keys.
 */
export async function upsertUsageMessages(
  db: Kysely<Database>,
  schema: string,
  rows: readonly UsageMessageRow[],
): Promise<UsageUpsertResult> {
  if (rows.length === 0) return { touchedSessions: [], touchedHours: [], written: 0 };
  const best = new Map<string, UsageMessageRow>();
  for (const r of rows) {
    const cur = best.get(r.messageKey);
    if (!cur || usageWins(r, cur)) best.set(r.messageKey, r);
  }
  const w = [...best.values()];
  const t = table(schema, 'usage_messages');
  const result = await sql<{ new: boolean; session_id: string; hour: Date | null; user_name: string; project: string; model: string }>`
    with old as (
      select message_key, session_id, date_trunc('hour', ts, 'UTC') as hour, user_name, coalesce(project, '') as project, model
      from ${t} where message_key = any(${w.map((r) => r.messageKey)}::text[])
    ), up as (
      insert into ${t} as t (message_key, entry_key, user_name, session_id, project, model, ts, is_sidechain, message_id,
        input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cache_creation_5m_tokens,
        cache_creation_1h_tokens, total_tokens, cost_usd, unpriced, stream_seq)
      select mk, ek, u, s, p, m, ts, sc, mid, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
        cache_creation_5m_tokens, cache_creation_1h_tokens, ${sql.raw(totalTokensSql())}, cost, up, seq from unnest(
        ${w.map((r) => r.messageKey)}::text[], ${w.map((r) => r.entryKey)}::text[], ${w.map((r) => r.userName)}::text[],
        ${w.map((r) => r.sessionId)}::text[], ${w.map((r) => r.project)}::text[], ${w.map((r) => r.model)}::text[],
        ${w.map((r) => isoOrNull(r.ts))}::timestamptz[], ${w.map((r) => r.isSidechain)}::boolean[],
        ${w.map((r) => r.messageId)}::text[],
        ${w.map((r) => r.inputTokens)}::bigint[], ${w.map((r) => r.outputTokens)}::bigint[],
        ${w.map((r) => r.cacheReadTokens)}::bigint[], ${w.map((r) => r.cacheCreationTokens)}::bigint[],
        ${w.map((r) => r.cacheCreation5mTokens)}::bigint[], ${w.map((r) => r.cacheCreation1hTokens)}::bigint[],
        ${w.map((r) => String(r.costUsd))}::numeric[], ${w.map((r) => r.unpriced)}::boolean[],
        ${w.map((r) => r.streamSeq)}::bigint[]
      ) as x(mk, ek, u, s, p, m, ts, sc, mid, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
        cache_creation_5m_tokens, cache_creation_1h_tokens, cost, up, seq)
      on conflict (message_key) do update set
        entry_key = excluded.entry_key, user_name = excluded.user_name, session_id = excluded.session_id,
        project = excluded.project, model = excluded.model, ts = excluded.ts, is_sidechain = excluded.is_sidechain,
        message_id = excluded.message_id,
        input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
        cache_read_tokens = excluded.cache_read_tokens, cache_creation_tokens = excluded.cache_creation_tokens,
        cache_creation_5m_tokens = excluded.cache_creation_5m_tokens,
        cache_creation_1h_tokens = excluded.cache_creation_1h_tokens, total_tokens = excluded.total_tokens,
        cost_usd = excluded.cost_usd, unpriced = excluded.unpriced, stream_seq = excluded.stream_seq
      where ${sql.raw(copyRow(USAGE_COPY_ORDER, usageCopyColumn('excluded')))} < ${sql.raw(copyRow(USAGE_COPY_ORDER, usageCopyColumn('t')))}
      returning message_key, session_id, date_trunc('hour', ts, 'UTC') as hour, user_name, coalesce(project, '') as project, model
    )
    select true as new, session_id, hour, user_name, project, model from up
    union all
    select false, old.session_id, old.hour, old.user_name, old.project, old.model from old join up using (message_key)`.execute(db);
  const retracted = await retractSidechainReplays(db, schema, w.map((r) => r.messageId).filter((id): id is string => id !== null));
  const written = result.rows.filter((r) => r.new).length;
  const changed = [...result.rows, ...retracted];
  return {
    touchedSessions: [...new Set(changed.map((r) => r.session_id))],
    touchedHours: uniqueBy(
      changed
        .filter((r) => r.hour !== null)
        .map((r) => ({ hour: r.hour as Date, userName: r.user_name, project: r.project, model: r.model })),
      (k) => `${k.hour.toISOString()}\u0000${k.userName}\u0000${k.project}\u0000${k.model}`,
    ),
    written,
  };
}

/**
 * The sidechain replay rule across message keys: a sidechain row whose `message.id` is also on a
 * main-chain row is the parent's message replayed (with another requestId, or none) and is not
 * counted. Run after every upsert for the batch's message ids, in the same transaction, so the
 * rule holds whichever copy arrived first: a replay stored earlier is deleted when the main-chain
 * line arrives, a replay arriving later is deleted as soon as it is stored. Returns the deleted
 * rows' sessions and hours (their totals changed).
 */
async function retractSidechainReplays(db: Kysely<Database>, schema: string, messageIds: readonly string[]) {
  if (messageIds.length === 0) return [];
  const t = table(schema, 'usage_messages');
  const gone = await sql<{ session_id: string; hour: Date | null; user_name: string; project: string; model: string }>`
    delete from ${t} as r
    where r.is_sidechain and r.message_id = any(${[...new Set(messageIds)]}::text[])
      and exists (select 1 from ${t} as m where m.message_id = r.message_id and not m.is_sidechain)
    returning session_id, date_trunc('hour', ts, 'UTC') as hour, user_name, coalesce(project, '') as project, model`.execute(db);
  return gone.rows;
}
