import pg from 'pg';
import { DatabaseUnavailableError, DbError } from '../errors';
import { describeDatabaseUrl } from './database-config';

/** The role in DATABASE_URL may not create databases (Postgres 42501). */
export class CreateDatabaseRefusedError extends DbError {
  constructor(
    readonly database: string,
    readonly role: string,
    cause?: unknown,
  ) {
    super(
      'DB_CREATE_REFUSED',
      `the role "${role}" may not create database "${database}"; ask a PostgreSQL admin to run: createdb -O ${role} ${database}`,
      { cause },
    );
  }
}

/**
 * Creates the database named in `url` unless it exists, connecting to the server's `postgres`
 * maintenance database as the same role. Returns what it did.
 */
export async function createMissingDatabase(url: string): Promise<'created' | 'exists'> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new DbError('DB_CONFIG', `DATABASE_URL names no database (${describeDatabaseUrl(url)})`);
  const maintenance = new URL(url);
  maintenance.pathname = name === 'postgres' ? '/template1' : '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new DatabaseUnavailableError(describeDatabaseUrl(maintenance.toString()), err);
  }
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return 'exists';
    try {
      await client.query(`create database ${client.escapeIdentifier(name)}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '42P04') return 'exists'; // created meanwhile by a concurrent run
      if (code === '42501') throw new CreateDatabaseRefusedError(name, decodeURIComponent(target.username) || 'current', err);
      throw err;
    }
    return 'created';
  } finally {
    await client.end().catch(() => undefined);
  }
}
