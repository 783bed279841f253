import type { Kysely } from 'kysely';
import type { Database } from '../database';

/** The stored bounded session state (jsonb) and position of each session that has one. */
export async function loadSessionStates(
  db: Kysely<Database>,
  schema: string,
  sessionIds: readonly string[],
): Promise<Map<string, { state: unknown; lastSeq: number }>> {
  const ids = [...new Set(sessionIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .withSchema(schema)
    .selectFrom('usage_session_summary')
    .select(['session_id', 'state', 'last_seq'])
    .where('session_id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.session_id, { state: r.state, lastSeq: r.last_seq }]));
}
