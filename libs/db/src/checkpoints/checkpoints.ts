import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';

/** A consumer's stored position. */
export interface Checkpoint {
  consumer: string;
  schema: string;
  lastSeq: number;
  updatedAt: Date;
}

/**
 * Stores a consumer's last applied stream sequence — in the same transaction as the batch it
 * covers. Never moves backwards (a late, older batch cannot rewind it).
 */
export async function storeCheckpoint(db: Kysely<Database>, consumer: string, schema: string, lastSeq: number): Promise<void> {
  await db
    .withSchema('public')
    .insertInto('projection_checkpoints')
    .values({ consumer, schema_name: schema, last_seq: lastSeq })
    .onConflict((oc) =>
      oc
        .column('consumer')
        .doUpdateSet({ schema_name: schema, last_seq: lastSeq, updated_at: sql`now()` })
        .where(sql<boolean>`projection_checkpoints.last_seq <= excluded.last_seq`),
    )
    .execute();
}

/** A consumer's checkpoint, or null before its first batch. */
export async function readCheckpoint(db: Kysely<Database>, consumer: string): Promise<Checkpoint | null> {
  const row = await db
    .withSchema('public')
    .selectFrom('projection_checkpoints')
    .selectAll()
    .where('consumer', '=', consumer)
    .executeTakeFirst();
  return row ? { consumer: row.consumer, schema: row.schema_name, lastSeq: row.last_seq, updatedAt: row.updated_at } : null;
}
