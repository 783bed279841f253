import { type Kysely, Migrator, sql } from 'kysely';
import type { Database } from '../database';
import { MigrationFailedError, PendingMigrationsError } from '../errors';
import { migrationProvider } from './migrations';

/** Session-level advisory lock key held for a whole migration run ("ccpulse" as ascii-ish int). */
export const MIGRATION_LOCK_KEY = 0x63637075;

/** What a migration run did. */
export interface MigrationReport {
  applied: string[];
}

function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/**
 * Applies every pending migration of the main schema. A session advisory lock around the whole
 * run (table creation included) makes two concurrent starts queue instead of race; the second
 * finds nothing to do. Throws MigrationFailedError naming the failing migration.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationReport> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      const { error, results } = await migratorFor(conn).migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error || failed) throw new MigrationFailedError(failed?.migrationName, error ?? 'failed');
      return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Names of migrations this build knows that the database has not applied. */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await migratorFor(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Throws PendingMigrationsError (listing them) unless the database is fully migrated. */
export async function assertMigrated(db: Kysely<Database>): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) throw new PendingMigrationsError(pending);
}
