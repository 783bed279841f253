import { DbConfigError } from '../errors';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** How to reach Postgres; read once from the environment at start. */
export interface DatabaseConfig {
  url: string;
  /** `DB_POOL_SIZE`, default 10 */
  poolSize: number;
  /** `DB_STATEMENT_TIMEOUT_MS`, default 30000; 0 disables */
  statementTimeoutMs: number;
}

/** Reads `DATABASE_URL`, `DB_POOL_SIZE`, `DB_STATEMENT_TIMEOUT_MS`; a bad value throws DbConfigError. */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DbConfigError('DATABASE_URL', 'is not a URL (expected postgres://user@host:port/db)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DbConfigError('DATABASE_URL', `must start with postgres:// (got ${parsed.protocol}//)`);
  }
  return {
    url,
    poolSize: positiveInt(env, 'DB_POOL_SIZE', 10, 1),
    statementTimeoutMs: positiveInt(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 0),
  };
}

/** `host:port/db` of a URL, never its password: what errors and logs may show. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new DbConfigError(name, `must be an integer ≥ ${min} (got '${raw}')`);
  }
  return n;
}
