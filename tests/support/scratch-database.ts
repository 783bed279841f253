/**
 * A throwaway database on the local server for one test, and the admin query the stack and bench
 * harnesses create and drop their databases with. Dropped WITH (FORCE), so a
 * backend that is still going away (after pg_terminate_backend, or a child process just killed)
 * cannot make the drop fail.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const ADMIN_DATABASE_URL = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Runs `sql` on the admin database. */
export async function adminQuery(sql: string, params: unknown[] = []): Promise<void> {
  const c = new Client({ connectionString: ADMIN_DATABASE_URL });
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
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`drop database if exists "${name}" with (force)`) };
}
