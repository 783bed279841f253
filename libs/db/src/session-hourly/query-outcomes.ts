import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../database';
import { GROUP_KEY, groupKeysOf, type UsageDimension, type UsageGroupKeys } from '../model-hourly/usage-groups';
import { table } from '../sql-helpers';
import type { OutcomeSums } from './outcome-sums';
import { SESSION_HOUR_PROJECT, teamFilters, type TeamScope } from './team-scope';

/** Outcome sums of a usage group (`usage`'s outcome fields), keyed like the usage rows. */
export interface OutcomeRowRecord extends UsageGroupKeys, OutcomeSums {}

const KEY: Record<UsageDimension, (local: RawBuilder<unknown>) => RawBuilder<unknown>> = {
  DAY: (l) => sql`to_char(date_trunc('day', ${l}), 'YYYY-MM-DD')`,
  WEEK: (l) => sql`to_char(date_trunc('week', ${l}), 'YYYY-MM-DD')`,
  MONTH: (l) => sql`to_char(date_trunc('month', ${l}), 'YYYY-MM')`,
  MODEL: () => sql`model`,
  USER: () => sql`user_name`,
  PROJECT: () => SESSION_HOUR_PROJECT,
};

/** Outcome sums grouped like a usage query (hours by their local start; see docs/outcome-metrics.md). */
export async function queryOutcomes(db: Kysely<Database>, schema: string, q: TeamScope & { groupBy: UsageDimension[] }): Promise<OutcomeRowRecord[]> {
  const dims = [...new Set(q.groupBy)];
  const local = sql`(hour at time zone ${q.timeZone})`;
  const keys = dims.map((d) => sql`${KEY[d](local)} as ${sql.ref(GROUP_KEY[d])}`);
  const positions = dims.map((_, i) => sql.raw(String(i + 1)));
  const result = await sql<Record<string, unknown>>`
    select ${sql.join([...keys, sql`sum(lines_added)::float8 as "linesAdded"`, sql`sum(lines_removed)::float8 as "linesRemoved"`,
      sql`sum(commits)::int as commits`, sql`sum(pull_requests)::int as "pullRequests"`, sql`sum(edits_accepted)::int as "editsAccepted"`,
      sql`sum(edits_rejected)::int as "editsRejected"`])}
    from ${table(schema, 'usage_session_hourly')} where ${teamFilters(q, sql`hour`, SESSION_HOUR_PROJECT)}
    ${positions.length ? sql`group by ${sql.join(positions)}` : sql`having count(*) > 0`}`.execute(db);
  return result.rows.map((r) => ({
    ...groupKeysOf(r),
    linesAdded: Number(r.linesAdded),
    linesRemoved: Number(r.linesRemoved),
    commits: Number(r.commits),
    pullRequests: Number(r.pullRequests),
    editsAccepted: Number(r.editsAccepted),
    editsRejected: Number(r.editsRejected),
  }));
}
