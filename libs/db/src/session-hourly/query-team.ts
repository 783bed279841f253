import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { usageSource } from '../model-hourly/usage-source';
import { table } from '../sql-helpers';
import type { OutcomeSums } from './outcome-sums';
import { SESSION_HOUR_PROJECT, teamFilters, type TeamScope } from './team-scope';

/** One person's totals over the window: the `team` row. */
export interface TeamRowRecord extends OutcomeSums {
  user: string;
  sessions: number;
  prompts: number;
  activeSeconds: number;
  totalTokens: number | bigint;
  costUsd: number;
}

/**
 * One row per user over the window: activity and outcomes from `usage_session_hourly`, tokens
 * and cost from the usage source `usage` reads for this zone (so `team` adds up to `usage` by
 * user), joined by user. Users with either appear.
 */
export async function queryTeam(db: Kysely<Database>, schema: string, q: TeamScope): Promise<TeamRowRecord[]> {
  const tokens = usageSource(schema, q, true);
  const result = await sql<TeamRowRecord>`
    with a as (
      select user_name, sum(sessions)::int as sessions, sum(prompts)::int as prompts,
        (sum(active_ms)::int8 / 1000) as active, sum(lines_added)::int8 as la, sum(lines_removed)::int8 as lr,
        sum(commits)::int as commits, sum(pull_requests)::int as prs, sum(edits_accepted)::int as ea,
        sum(edits_rejected)::int as er
      from ${table(schema, 'usage_session_hourly')} where ${teamFilters(q, sql`hour`, SESSION_HOUR_PROJECT)} group by user_name
    ), t as (
      select user_name, sum(total_tokens)::int8 as tokens, coalesce(sum(cost_usd), 0)::float8 as cost
      from ${tokens.table} where ${teamFilters(q, tokens.ts, tokens.project)} group by user_name
    )
    select coalesce(a.user_name, t.user_name) as "user", coalesce(a.sessions, 0) as sessions, coalesce(a.prompts, 0) as prompts,
      coalesce(a.active, 0)::float8 as "activeSeconds", coalesce(t.tokens, 0) as "totalTokens", coalesce(t.cost, 0) as "costUsd",
      coalesce(a.la, 0)::float8 as "linesAdded", coalesce(a.lr, 0)::float8 as "linesRemoved", coalesce(a.commits, 0) as commits,
      coalesce(a.prs, 0) as "pullRequests", coalesce(a.ea, 0) as "editsAccepted", coalesce(a.er, 0) as "editsRejected"
    from a full join t on t.user_name = a.user_name
    order by "costUsd" desc, "user"`.execute(db);
  return result.rows.map((r) => ({ ...r, activeSeconds: Number(r.activeSeconds), linesAdded: Number(r.linesAdded), linesRemoved: Number(r.linesRemoved) }));
}
