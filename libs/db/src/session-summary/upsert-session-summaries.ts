import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../database';
import type { UsageSessionSummaryTable } from '../tables/usage-session-summary.table';

/** One session summary row as written (snake_case, the table's columns; `state` as JSON text). */
export type SessionSummaryRow = Insertable<UsageSessionSummaryTable>;

/**
 * Upserts summaries by session id; a row only replaces one written at the same or an earlier
 * stream position (`last_seq`), so redelivered older batches are harmless. One row per session
 * per call (the highest last_seq wins if a batch carries several).
 */
export async function upsertSessionSummaries(db: Kysely<Database>, schema: string, rows: readonly SessionSummaryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const best = new Map<string, SessionSummaryRow>();
  for (const r of rows) {
    const cur = best.get(r.session_id);
    if (!cur || Number(r.last_seq) >= Number(cur.last_seq)) best.set(r.session_id, r);
  }
  const values = [...best.values()].map((r) => ({ ...r, updated_at: sql<Date>`now()` as unknown as Date }));
  const columns = Object.keys(values[0]).filter((c) => c !== 'session_id') as (keyof SessionSummaryRow)[];
  await db
    .withSchema(schema)
    .insertInto('usage_session_summary')
    .values(values)
    .onConflict((oc) =>
      oc
        .column('session_id')
        .doUpdateSet((eb) => Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)])) as never)
        .where(sql<boolean>`${sql.id(schema, 'usage_session_summary', 'last_seq')} <= excluded.last_seq`),
    )
    .execute();
}
