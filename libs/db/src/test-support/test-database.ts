import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { createDatabase } from '../connection/create-database';
import { DEFAULT_DATABASE_URL } from '../connection/database-config';
import type { Database } from '../database';
import { migrateToLatest } from '../migrations/migrate-to-latest';

/** A throwaway, migrated database on the local server. */
export interface TestDatabase {
  url: string;
  db: Kysely<Database>;
  /** Closes `db`, terminates any other connections to it and drops it. */
  drop(): Promise<void>;
}

/**
 * CREATE DATABASE ccpulse_test_<random> on the server of `DATABASE_URL` (default local), migrated
 * to the latest main-schema migration. Projection schemas are not created: call
 * `createProjectionSchema` / `ensureLiveProjection` as the test needs.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const name = `ccpulse_test_${randomBytes(6).toString('hex')}`;
  const admin = createDatabase({ url: adminUrl, poolSize: 1, statementTimeoutMs: 0 });
  try {
    await sql`create database ${sql.id(name)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDatabase({ url, poolSize: 5, statementTimeoutMs: 0 });
  await migrateToLatest(db);
  let dropped = false;
  return {
    url,
    db,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.destroy();
      const a = createDatabase({ url: adminUrl, poolSize: 1, statementTimeoutMs: 0 });
      try {
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`.execute(a);
        await sql`drop database if exists ${sql.id(name)}`.execute(a);
      } finally {
        await a.destroy();
      }
    },
  };
}
