/* Test-only: a throwaway, migrated database on the local PostgreSQL server. */
import { randomBytes } from 'node:crypto';
import { createDatabase, migrateToLatest, type Database } from '@ccpulse/db';
import { sql, type Kysely } from 'kysely';

export interface TestDatabase {
  url: string;
  db: Kysely<Database>;
  drop(): Promise<void>;
}

const adminUrl = () => process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

/** `CREATE DATABASE ccpulse_agg_<random>`, migrated; `drop()` removes it (other sessions terminated). */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `ccpulse_agg_${randomBytes(6).toString('hex')}`;
  const admin = createDatabase({ url: adminUrl(), poolSize: 1, statementTimeoutMs: 0 });
  try {
    await sql`create database ${sql.id(name)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDatabase({ url, poolSize: 5, statementTimeoutMs: 0 });
  if (options.migrate !== false) await migrateToLatest(db);
  let dropped = false;
  return {
    url,
    db,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.destroy();
      const a = createDatabase({ url: adminUrl(), poolSize: 1, statementTimeoutMs: 0 });
      try {
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`.execute(a);
        await sql`drop database if exists ${sql.id(name)}`.execute(a);
      } finally {
        await a.destroy();
      }
    },
  };
}
