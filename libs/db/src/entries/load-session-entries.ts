import type { Entry } from '@ccpulse/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table } from '../sql-helpers';

/**
 * The stored (winning) entries of one session in stream order — what the aggregator folds again
 * when a uuid winner moved to another session.
 */
export async function loadSessionEntries(db: Kysely<Database>, schema: string, sessionId: string): Promise<Entry[]> {
  const result = await sql<{ entry: Entry }>`
    select entry from ${table(schema, 'usage_entries')} where session_id = ${sessionId}
    order by stream_seq, entry_key`.execute(db);
  return result.rows.map((r) => r.entry);
}
