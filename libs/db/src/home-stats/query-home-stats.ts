import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table } from '../sql-helpers';

/** The home page numbers of one user over `[since, until)`. */
export interface HomeStats {
  /** the user's last heartbeat or entry, whichever is later; null if never */
  lastSyncAt: Date | null;
  sessions: number;
  prompts: number;
  /** input + output + cache read + cache creation of kept messages */
  tokens: number;
  projects: number;
}

/** Home stats for a user and window (the API decides whether to show them at all). */
export async function queryHomeStats(
  db: Kysely<Database>,
  schema: string,
  q: { user: string; since: Date; until: Date },
): Promise<HomeStats> {
  const e = table(schema, 'usage_entries');
  const m = table(schema, 'usage_messages');
  const result = await sql<{ last_sync_at: Date | null; sessions: number; prompts: number; tokens: number; projects: number }>`
    with win as (
      select session_id, is_prompt, project from ${e}
      where user_name = ${q.user} and ts >= ${q.since.toISOString()}::timestamptz and ts < ${q.until.toISOString()}::timestamptz
    )
    select
      greatest((select last_sync_at from public.users where name = ${q.user}),
               (select max(ts) from ${e} where user_name = ${q.user})) as last_sync_at,
      (select count(distinct session_id) from win) as sessions,
      (select count(*) filter (where is_prompt) from win) as prompts,
      (select coalesce(sum(total_tokens), 0) from ${m}
        where user_name = ${q.user} and ts >= ${q.since.toISOString()}::timestamptz and ts < ${q.until.toISOString()}::timestamptz) as tokens,
      (select count(distinct project) from win) as projects`.execute(db);
  const r = result.rows[0];
  return {
    lastSyncAt: r.last_sync_at,
    sessions: Number(r.sessions),
    prompts: Number(r.prompts),
    tokens: Number(r.tokens),
    projects: Number(r.projects),
  };
}
