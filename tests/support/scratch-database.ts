/**
 * A throwaway database on the local server for one test, and the admin query the stack and bench
 * harnesses create and drop their databases with. Dropped WITH (FORCE), so a
 * backend that is still going away (after pg_terminate_backend, or a child process just killed)
 * cannot make the drop fail.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The admin database: DATABASE_URL, else the local server. Read on each call, not on import, since
 * the fallback servers (tools/jest/test-servers.ts) may set DATABASE_URL after this module loaded.
 */
export function adminDatabaseUrl(): string {
  return process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Runs `sql` on the admin database. */
export async function adminQuery(sql: string, params: unknown[] = []): Promise<void> {
  const c = new Client({ connectionString: adminDatabaseUrl() });
  await c.connect();
  try {
    await c.query(sql, params);
  } finally {
    await c.end();
  }
}

export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database "${name}"`);
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`drop database if exists "${name}" with (force)`) };
}
