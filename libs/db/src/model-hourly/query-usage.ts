import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { UnknownTimeZoneError } from '../errors';
import type { UsageSums } from '../messages/usage-sums';
import { table } from '../sql-helpers';

export type UsagePeriodUnit = 'day' | 'week' | 'month';
export type UsageGroupBy = 'model' | 'user' | 'project' | 'none';

/** What to sum: `[from, to)` in UTC instants, bucketed by local periods of `timeZone`. */
export interface UsageQuery {
  from: Date;
  to: Date;
  unit: UsagePeriodUnit;
  /** IANA name, e.g. `Europe/Berlin`; weeks start on Monday */
  timeZone: string;
  groupBy: UsageGroupBy;
  /** only this user (members); omit for the team */
  user?: string;
  project?: string;
  model?: string;
}

/** One (period, key) bucket. `period` is the local start date `YYYY-MM-DD`. */
export interface UsageBucket extends UsageSums {
  period: string;
  /** the model/user/project; '' for groupBy none (and for messages without a project) */
  key: string;
}

/**
 * Sums usage per local period and key. Whole-hour zones sum `usage_team_hourly` when no user or
 * project is grouped or filtered, else `usage_model_hourly`; zones whose offset is not whole hours
 * now (Asia/Kolkata, Australia/Adelaide, Asia/Kathmandu…) read `usage_messages`, since a UTC hour
 * straddles their midnight. `from`/`to` cut on hour boundaries for the hourly paths (pass period
 * starts, as the API does).
 */
export async function queryUsage(db: Kysely<Database>, schema: string, q: UsageQuery): Promise<UsageBucket[]> {
  const zone = await sql<{ minutes: number }>`
    select extract(minute from utc_offset)::int as minutes from pg_timezone_names where name = ${q.timeZone}`.execute(db);
  if (zone.rows.length === 0) throw new UnknownTimeZoneError(q.timeZone);
  const hourly = zone.rows[0].minutes === 0;
  const unit = sql.lit(q.unit);
  const tz = q.timeZone;
  const team = (q.groupBy === 'model' || q.groupBy === 'none') && q.user === undefined && q.project === undefined;
  const src = table(schema, !hourly ? 'usage_messages' : team ? 'usage_team_hourly' : 'usage_model_hourly');
  const at = hourly ? sql.ref('hour') : sql.ref('ts');
  const keyCol =
    q.groupBy === 'none' ? sql`''` : q.groupBy === 'project' ? sql`coalesce(project, '')` : sql.ref(q.groupBy === 'user' ? 'user_name' : 'model');
  const messages = hourly ? sql`sum(messages)` : sql`count(*)`;
  const result = await sql<Record<string, number> & { period: string; key: string }>`
    select date_trunc(${unit}, ${at} at time zone ${tz})::date::text as period, ${keyCol} as key,
      sum(input_tokens) as i, sum(output_tokens) as o, sum(cache_read_tokens) as cr, sum(cache_creation_tokens) as cc,
      sum(cache_creation_5m_tokens) as c5, sum(cache_creation_1h_tokens) as c1, sum(total_tokens) as tot,
      sum(cost_usd) as cost, ${messages} as n
    from ${src}
    where ${at} >= ${q.from.toISOString()}::timestamptz and ${at} < ${q.to.toISOString()}::timestamptz
      ${q.user !== undefined ? sql`and user_name = ${q.user}` : sql``}
      ${q.project !== undefined ? sql`and coalesce(project, '') = ${q.project}` : sql``}
      ${q.model !== undefined ? sql`and model = ${q.model}` : sql``}
    group by 1, 2 order by 1, 2`.execute(db);
  return result.rows.map((r) => ({
    period: r.period,
    key: r.key,
    inputTokens: Number(r.i),
    outputTokens: Number(r.o),
    cacheReadTokens: Number(r.cr),
    cacheCreationTokens: Number(r.cc),
    cacheCreation5mTokens: Number(r.c5),
    cacheCreation1hTokens: Number(r.c1),
    totalTokens: Number(r.tot),
    costUsd: Number(r.cost),
    messages: Number(r.n),
  }));
}
