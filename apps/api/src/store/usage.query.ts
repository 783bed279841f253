import { type Kysely, sql, type RawBuilder } from 'kysely';
import type { Database } from '@ccpulse/db';
import { USAGE_TOTALS, type UsageDimension, type UsageQuery, type UsageRowRecord, type UsageTotal } from './api-store';

/** Usage wider than the cap: the caller must narrow the range or the grouping. */
export class UsageTooLargeError extends Error {
  readonly code = 'USAGE_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`the result exceeds ${limit} rows; narrow the date range or the grouping`);
    this.name = 'UsageTooLargeError';
  }
}

// Building an Intl formatter and sampling a month of offsets cost ~1 ms of the API's CPU per
// request; zones are few (the tz database's) and dashboards repeat the same ranges.
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const MAX_OFFSET_FORMATS = 2000;
const wholeHourAnswers = new Map<string, boolean>();
const MAX_WHOLE_HOUR_ANSWERS = 10_000;

/** `zoneHasWholeHourOffsets`, remembered per zone and range. */
export function zoneHasWholeHourOffsetsCached(timeZone: string, from: Date, to: Date): boolean {
  const key = `${timeZone}|${from.getTime()}|${to.getTime()}`;
  let answer = wholeHourAnswers.get(key);
  if (answer === undefined) {
    answer = zoneHasWholeHourOffsets(timeZone, from, to);
    if (wholeHourAnswers.size >= MAX_WHOLE_HOUR_ANSWERS) wholeHourAnswers.clear();
    wholeHourAnswers.set(key, answer);
  }
  return answer;
}

/**
 * Whether every UTC offset the zone used between two instants is a whole number of hours, so
 * its days are unions of UTC hours. Sampled every 6 hours (offset changes last longer than that).
 */
export function zoneHasWholeHourOffsets(timeZone: string, from: Date, to: Date): boolean {
  let fmt = offsetFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    if (offsetFormats.size >= MAX_OFFSET_FORMATS) offsetFormats.clear();
    offsetFormats.set(timeZone, fmt);
  }
  const step = 6 * 3600 * 1000;
  for (let t = from.getTime() - 86400000; t <= to.getTime() + 86400000; t += step) {
    const name = fmt.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT[+-](\d{1,2}):?(\d{2})?/.exec(name);
    if (m && m[2] && m[2] !== '00') return false;
  }
  return true;
}

/** The SQL of each sum; `messages` counts facts or adds up the rollups' counts. */
function sumExpr(total: UsageTotal, hourly: boolean): RawBuilder<unknown> {
  switch (total) {
    case 'messages':
      return hourly ? sql`sum(messages)::int8` : sql`count(*)::int8`;
    case 'inputTokens':
      return sql`sum(input_tokens)::int8`;
    case 'outputTokens':
      return sql`sum(output_tokens)::int8`;
    case 'cacheReadTokens':
      return sql`sum(cache_read_tokens)::int8`;
    case 'cacheCreationTokens':
      return sql`sum(cache_creation_tokens)::int8`;
    case 'cacheCreation5mTokens':
      return sql`sum(cache_creation_5m_tokens)::int8`;
    case 'cacheCreation1hTokens':
      return sql`sum(cache_creation_1h_tokens)::int8`;
    case 'totalTokens':
      return sql`sum(total_tokens)::int8`;
    case 'costUsd':
      return sql`coalesce(sum(cost_usd), 0)::float8`;
    case 'unpricedTokens':
      // A rollup row is one model: every price is positive, so a row that has tokens and costs 0
      // is a model without a price. The facts carry the fold's own flag.
      return hourly ? sql`coalesce(sum(total_tokens) filter (where cost_usd = 0), 0)::int8` : sql`coalesce(sum(total_tokens) filter (where unpriced), 0)::int8`;
  }
}

/** The grouping expression of a dimension; time buckets stay timestamps until the outer select. */
function keyExpr(dim: UsageDimension, local: RawBuilder<unknown>, projectExpr: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (dim) {
    case 'DAY':
      return sql`date_trunc('day', ${local})`;
    case 'WEEK':
      return sql`date_trunc('week', ${local})`;
    case 'MONTH':
      return sql`date_trunc('month', ${local})`;
    case 'MODEL':
      return sql`model`;
    case 'USER':
      return sql`user_name`;
    case 'PROJECT':
      return projectExpr;
  }
}

/** Formats a grouped key once per group (not once per row). */
function outerExpr(dim: UsageDimension): RawBuilder<unknown> {
  const col = sql.ref(`g.${ALIAS[dim]}`);
  if (dim === 'DAY' || dim === 'WEEK') return sql`to_char(${col}, 'YYYY-MM-DD')`;
  if (dim === 'MONTH') return sql`to_char(${col}, 'YYYY-MM')`;
  return col;
}

const ALIAS: Record<UsageDimension, string> = {
  DAY: 'day',
  WEEK: 'week',
  MONTH: 'month',
  MODEL: 'model',
  USER: 'user',
  PROJECT: 'project',
};

/**
 * The narrowest table that answers the query: the team's hours by model when no user or project
 * is grouped or filtered, else the hourly rollup (days in any whole-hour zone are unions of UTC
 * hours); zones with 30/45-minute offsets read the message facts instead, as the data model says.
 */
function sourceTable(q: UsageQuery, hourly: boolean): 'usage_team_hourly' | 'usage_model_hourly' | 'usage_messages' {
  if (!hourly) return 'usage_messages';
  const byUserOrProject = q.groupBy.some((d) => d === 'USER' || d === 'PROJECT');
  return byUserOrProject || q.users || q.projects ? 'usage_model_hourly' : 'usage_team_hourly';
}

/** Token and cost totals grouped by the requested keys, read from `sourceTable`. */
export async function queryUsage(db: Kysely<Database>, schema: string, q: UsageQuery): Promise<UsageRowRecord[]> {
  const fromUtc = new Date(`${q.from}T00:00:00Z`);
  const toUtc = new Date(`${q.to}T23:59:59Z`);
  const hourly = zoneHasWholeHourOffsetsCached(q.timeZone, fromUtc, toUtc);
  const table = sql.table(`${schema}.${sourceTable(q, hourly)}`);
  const tsCol = hourly ? sql`hour` : sql`ts`;
  const local = sql`(${tsCol} at time zone ${q.timeZone})`;
  const projectExpr = hourly ? sql`nullif(project, '')` : sql`project`;
  const dims = [...new Set(q.groupBy)];
  const keys = dims.map((d) => sql`${keyExpr(d, local, projectExpr)} as ${sql.ref(ALIAS[d])}`);
  const outer = dims.map((d) => sql`${outerExpr(d)} as ${sql.ref(ALIAS[d])}`);
  const filters: RawBuilder<unknown>[] = [
    sql`${tsCol} >= (${q.from}::date)::timestamp at time zone ${q.timeZone}`,
    sql`${tsCol} < (${q.to}::date + 1)::timestamp at time zone ${q.timeZone}`,
  ];
  if (q.users) filters.push(sql`user_name = any(${q.users}::text[])`);
  if (q.projects) filters.push(sql`project = any(${q.projects}::text[])`);
  // Only the sums asked for: each one costs PostgreSQL an aggregate and the API a parsed column
  // per row. With no grouping the aggregate is one row even over no facts; `having` drops it.
  const totals = [...new Set(q.totals ?? USAGE_TOTALS)].filter((t) => USAGE_TOTALS.includes(t));
  const columns = [...keys, ...totals.map((t) => sql`${sumExpr(t, hourly)} as ${sql.ref(t)}`)];
  const positions = dims.map((_, i) => sql.raw(String(i + 1)));
  const groupOrder = positions.length ? sql`group by ${sql.join(positions)} order by ${sql.join(positions)}` : sql`having count(*) > 0`;
  const inner = sql`select ${columns.length ? sql.join(columns) : sql`1`} from ${table} where ${sql.join(filters, sql` and `)} ${groupOrder} limit ${q.maxRows + 1}`;
  const selected = [...outer, ...totals.map((t) => sql.ref(`g.${t}`))];
  const result = await sql<Record<string, unknown>>`
    select ${selected.length ? sql.join(selected) : sql`1`}
    from (${inner}) g
    ${positions.length ? sql`order by ${sql.join(positions)}` : sql``}`.execute(db);
  if (result.rows.length > q.maxRows) throw new UsageTooLargeError(q.maxRows);
  return result.rows.map((r) => {
    const row: UsageRowRecord = {
      day: (r.day as string | undefined) ?? null,
      week: (r.week as string | undefined) ?? null,
      month: (r.month as string | undefined) ?? null,
      model: (r.model as string | undefined) ?? null,
      user: (r.user as string | undefined) ?? null,
      project: (r.project as string | undefined) ?? null,
    };
    for (const t of totals) (row as Record<UsageTotal, number | bigint>)[t] = toTotal(t, r[t]);
    return row;
  });
}

/** int8 sums arrive as numbers (or bigints past 2^53); cost and counts as plain numbers. */
function toTotal(total: UsageTotal, value: unknown): number | bigint {
  if (total === 'costUsd' || total === 'messages') return Number(value ?? 0);
  return (value as number | bigint | null) ?? 0;
}
