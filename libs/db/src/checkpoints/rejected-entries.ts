import type { Kysely } from 'kysely';
import type { Database } from '../database';

/** A stream message that could not be applied. */
export interface RejectedEntryRow {
  streamSeq: number;
  reason: string;
  detail: string | null;
  userName: string | null;
  file: string | null;
  byteOffset: number | null;
}

/** Records rejected messages by stream sequence; a redelivered one is recorded once. */
export async function recordRejectedEntries(db: Kysely<Database>, schema: string, rows: readonly RejectedEntryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const unique = new Map(rows.map((r) => [r.streamSeq, r]));
  await db
    .withSchema(schema)
    .insertInto('rejected_entries')
    .values(
      [...unique.values()].map((r) => ({
        stream_seq: r.streamSeq,
        reason: r.reason,
        detail: r.detail,
        user_name: r.userName,
        file: r.file,
        byte_offset: r.byteOffset,
      })),
    )
    .onConflict((oc) => oc.column('stream_seq').doNothing())
    .execute();
}
