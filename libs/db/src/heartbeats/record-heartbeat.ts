import type { Heartbeat } from '@ccpulse/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';

/**
 * Stores an ingestor heartbeat and moves the user's `last_sync_at` forward (never back),
 * creating the user as a member on first contact. True when `last_sync_at` is now this beat's.
 */
export async function recordHeartbeat(db: Kysely<Database>, hb: Heartbeat): Promise<boolean> {
  const inTransaction = (f: (trx: Kysely<Database>) => Promise<boolean>) =>
    db.isTransaction ? f(db) : db.transaction().execute(f);
  return inTransaction(async (trx) => {
    const p = trx.withSchema('public');
    const user = await p
      .insertInto('users')
      .values({ name: hb.user, role: 'member', last_sync_at: hb.at })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({
          last_sync_at: sql`greatest(users.last_sync_at, excluded.last_sync_at)`,
        }),
      )
      .returning('last_sync_at')
      .executeTakeFirstOrThrow();
    await p
      .insertInto('ingestor_heartbeats')
      .values({
        user_name: hb.user,
        host: hb.host,
        version: hb.version,
        files_tracked: hb.filesTracked,
        lag_bytes: hb.lagBytes,
        at: hb.at,
      })
      .onConflict((oc) =>
        oc.columns(['user_name', 'host']).doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          files_tracked: eb.ref('excluded.files_tracked'),
          lag_bytes: eb.ref('excluded.lag_bytes'),
          at: eb.ref('excluded.at'),
        })).where(sql<boolean>`ingestor_heartbeats.at <= excluded.at`),
      )
      .execute();
    return user.last_sync_at !== null && new Date(user.last_sync_at).getTime() === Date.parse(hb.at);
  });
}
