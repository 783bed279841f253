import { type RawBuilder, sql } from 'kysely';
import { withinLocalDays, type LocalDays } from '../model-hourly/usage-source';

/** The window and scope of a team or activity question. */
export interface TeamScope extends LocalDays {
  /** undefined = every user (admin). */
  users?: string[];
  projects?: string[];
  models?: string[];
}

/** The window and the filters every source of a team question shares. */
export function teamFilters(q: TeamScope, ts: RawBuilder<unknown>, projectExpr: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts = withinLocalDays(ts, q);
  if (q.users) parts.push(sql`user_name = any(${q.users}::text[])`);
  if (q.projects) parts.push(sql`${projectExpr} = any(${q.projects}::text[])`);
  if (q.models) parts.push(sql`model = any(${q.models}::text[])`);
  return sql.join(parts, sql` and `);
}

/** The project of a `usage_session_hourly` row, null when none ('' in the key). */
export const SESSION_HOUR_PROJECT = sql`nullif(project, '')`;
