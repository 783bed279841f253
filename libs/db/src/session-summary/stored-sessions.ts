import type { Kysely } from 'kysely';
import type { Database } from '../database';

/** A session's stored user and bounded state (jsonb), for the next batch to evolve. */
export interface StoredSession {
  user: string;
  state: unknown;
}

/** The stored summary of each of these sessions that has one. */
export async function loadStoredSessions(db: Kysely<Database>, schema: string, sessionIds: readonly string[]): Promise<Map<string, StoredSession>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .withSchema(schema)
    .selectFrom('usage_session_summary')
    .select(['session_id', 'user_name', 'state'])
    .where('session_id', 'in', sessionIds as string[])
    .execute();
  return new Map(rows.map((r) => [r.session_id, { user: r.user_name, state: r.state }]));
}

/** Deletes these sessions' summaries (the fold passes the sessions left without user or assistant lines). */
export async function deleteSessionSummaries(db: Kysely<Database>, schema: string, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.withSchema(schema).deleteFrom('usage_session_summary').where('session_id', 'in', sessionIds as string[]).execute();
}
