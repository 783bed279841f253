import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table } from '../sql-helpers';

/** The user of each session that has stored entries (the first name in order, should there be several). */
export async function sessionUsers(db: Kysely<Database>, schema: string, sessionIds: readonly string[]): Promise<Map<string, string>> {
  const result = await sql<{ session_id: string; user_name: string }>`
    select distinct on (session_id) session_id, user_name from ${table(schema, 'usage_entries')}
    where session_id = any(${sessionIds}::text[]) order by session_id, user_name`.execute(db);
  return new Map(result.rows.map((r) => [r.session_id, r.user_name]));
}
