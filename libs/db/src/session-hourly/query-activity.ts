import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../database';
import { usageSource } from '../model-hourly/usage-source';
import { table } from '../sql-helpers';
import { SESSION_HOUR_PROJECT, teamFilters, type TeamScope } from './team-scope';

export type ActivityPeriod = 'DAY' | 'WEEK' | 'MONTH';

/** One period of the `activity` series. */
export interface ActivityRecord {
  /** Local start day of the period, `YYYY-MM-DD`. */
  period: string;
  activeUsers: number;
  sessions: number;
  prompts: number;
  costUsd: number;
}

/**
 * Per local day, week (Monday) or month: users active (a session hour or a counted response),
 * sessions started, prompts and cost.
 */
export async function queryActivity(db: Kysely<Database>, schema: string, q: TeamScope & { period: ActivityPeriod }): Promise<ActivityRecord[]> {
  const unit = sql.lit(q.period.toLowerCase());
  const tokens = usageSource(schema, q, true);
  const local = (ts: RawBuilder<unknown>) => sql`date_trunc(${unit}, ${ts} at time zone ${q.timeZone})::date`;
  const result = await sql<ActivityRecord>`
    with a as (
      select ${local(sql`hour`)} as p, user_name, sum(sessions) as sessions, sum(prompts) as prompts
      from ${table(schema, 'usage_session_hourly')} where ${teamFilters(q, sql`hour`, SESSION_HOUR_PROJECT)} group by 1, 2
    ), t as (
      select ${local(tokens.ts)} as p, user_name, sum(cost_usd) as cost
      from ${tokens.table} where ${teamFilters(q, tokens.ts, tokens.project)} group by 1, 2
    )
    select to_char(coalesce(a.p, t.p), 'YYYY-MM-DD') as period, count(*)::int as "activeUsers",
      coalesce(sum(a.sessions), 0)::int as sessions, coalesce(sum(a.prompts), 0)::int as prompts,
      coalesce(sum(t.cost), 0)::float8 as "costUsd"
    from a full join t on t.p = a.p and t.user_name = a.user_name
    group by 1 order by 1`.execute(db);
  return result.rows;
}
