import { type Kysely, sql, type RawBuilder } from 'kysely';
import type { Database } from '@ccpulse/db';
import { zoneHasWholeHourOffsetsCached } from './usage.query';

/** The window and scope of a team or activity question. */
export interface TeamScope {
  /** Inclusive first day, `YYYY-MM-DD` in `timeZone`. */
  from: string;
  /** Inclusive last day. */
  to: string;
  timeZone: string;
  /** undefined = every user (admin). */
  users?: string[];
  projects?: string[];
  models?: string[];
}

/** One person's totals over the window: the `team` row. */
export interface TeamRowRecord {
  user: string;
  sessions: number;
  prompts: number;
  activeSeconds: number;
  totalTokens: number | bigint;
  costUsd: number;
  linesAdded: number;
  linesRemoved: number;
  commits: number;
  pullRequests: number;
  editsAccepted: number;
  editsRejected: number;
}

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

/** Outcome sums of a usage group (`usage`'s outcome fields), keyed like the usage rows. */
export interface OutcomeRowRecord {
  day: string | null;
  week: string | null;
  month: string | null;
  model: string | null;
  user: string | null;
  project: string | null;
  linesAdded: number;
  linesRemoved: number;
  commits: number;
  pullRequests: number;
  editsAccepted: number;
  editsRejected: number;
}

/** `[from, to]` local days as instants, and the filters every source shares. */
function window(q: TeamScope, ts: RawBuilder<unknown>, projectExpr: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [
    sql`${ts} >= (${q.from}::date)::timestamp at time zone ${q.timeZone}`,
    sql`${ts} < (${q.to}::date + 1)::timestamp at time zone ${q.timeZone}`,
  ];
  if (q.users) parts.push(sql`user_name = any(${q.users}::text[])`);
  if (q.projects) parts.push(sql`${projectExpr} = any(${q.projects}::text[])`);
  if (q.models) parts.push(sql`model = any(${q.models}::text[])`);
  return sql.join(parts, sql` and `);
}

/**
 * Where tokens and cost come from: the same source `usage` reads for this zone (hourly rollup,
 * or the message facts in a zone with 30/45-minute offsets), so `team` adds up to `usage` by user.
 */
function tokenSource(schema: string, q: TeamScope): { table: RawBuilder<unknown>; ts: RawBuilder<unknown>; project: RawBuilder<unknown> } {
  const hourly = zoneHasWholeHourOffsetsCached(q.timeZone, new Date(`${q.from}T00:00:00Z`), new Date(`${q.to}T23:59:59Z`));
  return hourly
    ? { table: sql.table(`${schema}.usage_model_hourly`), ts: sql`hour`, project: sql`nullif(project, '')` }
    : { table: sql.table(`${schema}.usage_messages`), ts: sql`ts`, project: sql`project` };
}

/**
 * One row per user over the window: activity and outcomes from `usage_session_hourly`, tokens
 * and cost from the usage source, joined by user. Users with either appear.
 */
export async function queryTeam(db: Kysely<Database>, schema: string, q: TeamScope): Promise<TeamRowRecord[]> {
  const hours = sql.table(`${schema}.usage_session_hourly`);
  const tokens = tokenSource(schema, q);
  const result = await sql<TeamRowRecord>`
    with a as (
      select user_name, sum(sessions)::int as sessions, sum(prompts)::int as prompts,
        (sum(active_ms)::int8 / 1000) as active, sum(lines_added)::int8 as la, sum(lines_removed)::int8 as lr,
        sum(commits)::int as commits, sum(pull_requests)::int as prs, sum(edits_accepted)::int as ea,
        sum(edits_rejected)::int as er
      from ${hours} where ${window(q, sql`hour`, sql`nullif(project, '')`)} group by user_name
    ), t as (
      select user_name, sum(total_tokens)::int8 as tokens, coalesce(sum(cost_usd), 0)::float8 as cost
      from ${tokens.table} where ${window(q, tokens.ts, tokens.project)} group by user_name
    )
    select coalesce(a.user_name, t.user_name) as "user", coalesce(a.sessions, 0) as sessions, coalesce(a.prompts, 0) as prompts,
      coalesce(a.active, 0)::float8 as "activeSeconds", coalesce(t.tokens, 0) as "totalTokens", coalesce(t.cost, 0) as "costUsd",
      coalesce(a.la, 0)::float8 as "linesAdded", coalesce(a.lr, 0)::float8 as "linesRemoved", coalesce(a.commits, 0) as commits,
      coalesce(a.prs, 0) as "pullRequests", coalesce(a.ea, 0) as "editsAccepted", coalesce(a.er, 0) as "editsRejected"
    from a full join t on t.user_name = a.user_name
    order by "costUsd" desc, "user"`.execute(db);
  return result.rows.map((r) => ({ ...r, activeSeconds: Number(r.activeSeconds), linesAdded: Number(r.linesAdded), linesRemoved: Number(r.linesRemoved) }));
}

/**
 * Per local day, week (Monday) or month: users active (a session hour or a counted response),
 * sessions started, prompts and cost.
 */
export async function queryActivity(db: Kysely<Database>, schema: string, q: TeamScope & { period: ActivityPeriod }): Promise<ActivityRecord[]> {
  const unit = sql.lit(q.period.toLowerCase());
  const hours = sql.table(`${schema}.usage_session_hourly`);
  const tokens = tokenSource(schema, q);
  const local = (ts: RawBuilder<unknown>) => sql`date_trunc(${unit}, ${ts} at time zone ${q.timeZone})::date`;
  const result = await sql<ActivityRecord>`
    with a as (
      select ${local(sql`hour`)} as p, user_name, sum(sessions) as sessions, sum(prompts) as prompts
      from ${hours} where ${window(q, sql`hour`, sql`nullif(project, '')`)} group by 1, 2
    ), t as (
      select ${local(tokens.ts)} as p, user_name, sum(cost_usd) as cost
      from ${tokens.table} where ${window(q, tokens.ts, tokens.project)} group by 1, 2
    )
    select to_char(coalesce(a.p, t.p), 'YYYY-MM-DD') as period, count(*)::int as "activeUsers",
      coalesce(sum(a.sessions), 0)::int as sessions, coalesce(sum(a.prompts), 0)::int as prompts,
      coalesce(sum(t.cost), 0)::float8 as "costUsd"
    from a full join t on t.p = a.p and t.user_name = a.user_name
    group by 1 order by 1`.execute(db);
  return result.rows;
}

const KEY: Record<string, (local: RawBuilder<unknown>) => RawBuilder<unknown>> = {
  DAY: (l) => sql`to_char(date_trunc('day', ${l}), 'YYYY-MM-DD')`,
  WEEK: (l) => sql`to_char(date_trunc('week', ${l}), 'YYYY-MM-DD')`,
  MONTH: (l) => sql`to_char(date_trunc('month', ${l}), 'YYYY-MM')`,
  MODEL: () => sql`model`,
  USER: () => sql`user_name`,
  PROJECT: () => sql`nullif(project, '')`,
};
const ALIAS: Record<string, keyof OutcomeRowRecord> = { DAY: 'day', WEEK: 'week', MONTH: 'month', MODEL: 'model', USER: 'user', PROJECT: 'project' };

/** Outcome sums grouped like a usage query (hours by their local start; see docs/outcome-metrics.md). */
export async function queryOutcomes(db: Kysely<Database>, schema: string, q: TeamScope & { groupBy: string[] }): Promise<OutcomeRowRecord[]> {
  const dims = [...new Set(q.groupBy)];
  const local = sql`(hour at time zone ${q.timeZone})`;
  const keys = dims.map((d) => sql`${KEY[d](local)} as ${sql.ref(ALIAS[d])}`);
  const positions = dims.map((_, i) => sql.raw(String(i + 1)));
  const result = await sql<Record<string, unknown>>`
    select ${sql.join([...keys, sql`sum(lines_added)::float8 as "linesAdded"`, sql`sum(lines_removed)::float8 as "linesRemoved"`,
      sql`sum(commits)::int as commits`, sql`sum(pull_requests)::int as "pullRequests"`, sql`sum(edits_accepted)::int as "editsAccepted"`,
      sql`sum(edits_rejected)::int as "editsRejected"`])}
    from ${sql.table(`${schema}.usage_session_hourly`)} where ${window(q, sql`hour`, sql`nullif(project, '')`)}
    ${positions.length ? sql`group by ${sql.join(positions)}` : sql`having count(*) > 0`}`.execute(db);
  return result.rows.map((r) => ({
    day: (r.day as string | undefined) ?? null,
    week: (r.week as string | undefined) ?? null,
    month: (r.month as string | undefined) ?? null,
    model: (r.model as string | undefined) ?? null,
    user: (r.user as string | undefined) ?? null,
    project: (r.project as string | undefined) ?? null,
    linesAdded: Number(r.linesAdded),
    linesRemoved: Number(r.linesRemoved),
    commits: Number(r.commits),
    pullRequests: Number(r.pullRequests),
    editsAccepted: Number(r.editsAccepted),
    editsRejected: Number(r.editsRejected),
  }));
}

/** Accept/reject decisions of one tool on one UTC day for one user. */
export interface ToolDecisionRecord {
  day: string;
  user: string;
  tool: string;
  accepted: number;
  rejected: number;
}

/** Decisions per UTC day, user and tool (the `toolDaily` days), from the read model's `tool_decisions`. */
export async function queryToolDecisions(db: Kysely<Database>, schema: string, q: { from: string; to: string; users?: string[] }): Promise<ToolDecisionRecord[]> {
  const result = await sql<ToolDecisionRecord>`
    select to_char((h.hour at time zone 'UTC')::date, 'YYYY-MM-DD') as day, h.user_name as "user", t.key as tool,
      sum((t.value->>'accepted')::int)::int as accepted, sum((t.value->>'rejected')::int)::int as rejected
    from ${sql.table(`${schema}.usage_session_hourly`)} h, jsonb_each(h.tool_decisions) t
    where h.hour >= (${q.from}::date)::timestamp at time zone 'UTC' and h.hour < (${q.to}::date + 1)::timestamp at time zone 'UTC'
      ${q.users ? sql`and h.user_name = any(${q.users}::text[])` : sql``}
    group by 1, 2, 3`.execute(db);
  return result.rows;
}
