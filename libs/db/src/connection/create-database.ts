import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../database';
import { DatabaseMissingError, DatabaseUnavailableError } from '../errors';
import { type DatabaseConfig, describeDatabaseUrl, readDatabaseConfig } from './database-config';
import { ccpulseTypes } from './pg-types';

/**
 * A Kysely over a pg pool configured from the environment (or `config`). The pool is lazy, so
 * call `assertReachable(db)` at start to fail with a clear message instead of on first query.
 */
export function createDatabase(config: Partial<DatabaseConfig> = {}): Kysely<Database> {
  const full = { ...readDatabaseConfig(), ...config };
  const pool = new pg.Pool({
    connectionString: full.url,
    max: full.poolSize,
    types: ccpulseTypes(),
    connectionTimeoutMillis: 10_000,
    // Every timestamp is UTC; date_trunc and ::date must never depend on the server's zone.
    options: '-c TimeZone=UTC',
    ...(full.statementTimeoutMs > 0 ? { statement_timeout: full.statementTimeoutMs } : {}),
  });
  // A client losing its server must not crash the process: idle ones report on the pool, and a
  // checked-out one (between two statements of a transaction) on itself, where pg-pool has taken
  // its own listener off. The next query on it fails with the real error.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const host = describeDatabaseUrl(full.url);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  hosts.set(db, host);
  return db;
}

const hosts = new WeakMap<object, string>();

/**
 * Runs `select 1`; throws DatabaseMissingError when the server answers but the database does not
 * exist, else DatabaseUnavailableError naming the host when Postgres is unreachable.
 */
export async function assertReachable(db: Kysely<Database>): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    throw missingOrUnavailable(hosts.get(db) ?? 'postgres', err);
  }
}

/** Postgres's invalid_catalog_name: the database in the URL does not exist. */
const DATABASE_DOES_NOT_EXIST = '3D000';

/** A connection failure as the named error it is. */
export function missingOrUnavailable(host: string, err: unknown): DatabaseMissingError | DatabaseUnavailableError {
  if ((err as { code?: unknown })?.code === DATABASE_DOES_NOT_EXIST) {
    const name = /database "([^"]+)" does not exist/.exec((err as Error).message)?.[1] ?? host.split('/').pop() ?? '?';
    return new DatabaseMissingError(host.replace(/\/[^/]*$/, ''), name, err);
  }
  return new DatabaseUnavailableError(host, err);
}
