import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../database';
import type { TokenTotals } from '../messages/usage-sums';
import { GROUP_KEY, groupKeysOf, type UsageDimension, type UsageGroupKeys } from './usage-groups';
import { usageSource, withinLocalDays, type LocalDays } from './usage-source';

/** Usage wider than the cap: the caller must narrow the range or the grouping. */
export class UsageTooLargeError extends Error {
  readonly code = 'USAGE_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`the result exceeds ${limit} rows; narrow the date range or the grouping`);
    this.name = 'UsageTooLargeError';
  }
}

export interface UsageQuery extends LocalDays {
  groupBy: UsageDimension[];
  /** undefined = every user (admin without a filter). */
  users?: string[];
  projects?: string[];
  /** Refuse (rather than stream) results larger than this. */
  maxRows: number;
  /** The sums to compute (those the request selects); every one when absent. */
  totals?: readonly UsageTotal[];
}

/** The summed fields of a usage row. */
export const USAGE_TOTALS = [
  'messages',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheCreationTokens',
  'cacheCreation5mTokens',
  'cacheCreation1hTokens',
  'totalTokens',
  'costUsd',
  'unpricedTokens',
] as const;
export type UsageTotal = (typeof USAGE_TOTALS)[number];

/** A usage group: its keys, and the sums the query asked for (`UsageQuery.totals`). */
export interface UsageRowRecord extends Partial<TokenTotals>, UsageGroupKeys {
  /** Counted API responses. */
  messages?: number;
  /** Tokens of models without a price. */
  unpricedTokens?: number | bigint;
}

const TOKEN_COLUMN: Record<Exclude<UsageTotal, 'messages' | 'costUsd' | 'unpricedTokens'>, string> = {
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  cacheReadTokens: 'cache_read_tokens',
  cacheCreationTokens: 'cache_creation_tokens',
  cacheCreation5mTokens: 'cache_creation_5m_tokens',
  cacheCreation1hTokens: 'cache_creation_1h_tokens',
  totalTokens: 'total_tokens',
};

/** The SQL of each sum; `messages` counts facts or adds up the rollups' counts. */
function sumExpr(total: UsageTotal, hourly: boolean): RawBuilder<unknown> {
  switch (total) {
    case 'messages':
      return hourly ? sql`sum(messages)::int8` : sql`count(*)::int8`;
    case 'costUsd':
      return sql`coalesce(sum(cost_usd), 0)::float8`;
    case 'unpricedTokens':
      // A rollup row is one model: every price is positive, so a row that has tokens and costs 0
      // is a model without a price. The facts carry the fold's own flag.
      return hourly ? sql`coalesce(sum(total_tokens) filter (where cost_usd = 0), 0)::int8` : sql`coalesce(sum(total_tokens) filter (where unpriced), 0)::int8`;
    default:
      return sql`sum(${sql.raw(TOKEN_COLUMN[total])})::int8`;
  }
}

/** The grouping expression of a dimension; time buckets stay timestamps until the outer select. */
function keyExpr(dim: UsageDimension, local: RawBuilder<unknown>, projectExpr: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (dim) {
    case 'DAY':
    case 'WEEK':
    case 'MONTH':
      return sql`date_trunc(${sql.lit(dim.toLowerCase())}, ${local})`;
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
  const col = sql.ref(`g.${GROUP_KEY[dim]}`);
  if (dim === 'DAY' || dim === 'WEEK') return sql`to_char(${col}, 'YYYY-MM-DD')`;
  if (dim === 'MONTH') return sql`to_char(${col}, 'YYYY-MM')`;
  return col;
}

/** Token and cost totals grouped by the requested keys, read from the narrowest `usageSource`. */
export async function queryUsage(db: Kysely<Database>, schema: string, q: UsageQuery): Promise<UsageRowRecord[]> {
  const byUserOrProject = q.groupBy.some((d) => d === 'USER' || d === 'PROJECT') || !!q.users || !!q.projects;
  const source = usageSource(schema, q, byUserOrProject);
  const local = sql`(${source.ts} at time zone ${q.timeZone})`;
  const dims = [...new Set(q.groupBy)];
  const keys = dims.map((d) => sql`${keyExpr(d, local, source.project)} as ${sql.ref(GROUP_KEY[d])}`);
  const outer = dims.map((d) => sql`${outerExpr(d)} as ${sql.ref(GROUP_KEY[d])}`);
  const filters = withinLocalDays(source.ts, q);
  if (q.users) filters.push(sql`user_name = any(${q.users}::text[])`);
  if (q.projects) filters.push(sql`project = any(${q.projects}::text[])`);
  // Only the sums asked for: each one costs PostgreSQL an aggregate and the API a parsed column
  // per row. With no grouping the aggregate is one row even over no facts; `having` drops it.
  const totals = [...new Set(q.totals ?? USAGE_TOTALS)].filter((t) => USAGE_TOTALS.includes(t));
  const columns = [...keys, ...totals.map((t) => sql`${sumExpr(t, source.hourly)} as ${sql.ref(t)}`)];
  const positions = dims.map((_, i) => sql.raw(String(i + 1)));
  const groupOrder = positions.length ? sql`group by ${sql.join(positions)} order by ${sql.join(positions)}` : sql`having count(*) > 0`;
  const inner = sql`select ${columns.length ? sql.join(columns) : sql`1`} from ${source.table} where ${sql.join(filters, sql` and `)} ${groupOrder} limit ${q.maxRows + 1}`;
  const selected = [...outer, ...totals.map((t) => sql.ref(`g.${t}`))];
  const result = await sql<Record<string, unknown>>`
    select ${selected.length ? sql.join(selected) : sql`1`}
    from (${inner}) g
    ${positions.length ? sql`order by ${sql.join(positions)}` : sql``}`.execute(db);
  if (result.rows.length > q.maxRows) throw new UsageTooLargeError(q.maxRows);
  return result.rows.map((r) => {
    const row: UsageRowRecord = groupKeysOf(r);
    for (const t of totals) (row as Record<UsageTotal, number | bigint>)[t] = toTotal(t, r[t]);
    return row;
  });
}

/** int8 sums arrive as numbers (or bigints past 2^53); cost and counts as plain numbers. */
function toTotal(total: UsageTotal, value: unknown): number | bigint {
  if (total === 'costUsd' || total === 'messages') return Number(value ?? 0);
  return (value as number | bigint | null) ?? 0;
}
