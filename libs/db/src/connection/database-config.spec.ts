import { DbConfigError } from '../errors';
import { DEFAULT_DATABASE_URL, describeDatabaseUrl, readDatabaseConfig } from './database-config';
import { parseInt8 } from './pg-types';

describe('readDatabaseConfig', () => {
  it('defaults to the local server, pool 10, statement timeout 30 s', () => {
    expect(readDatabaseConfig({})).toEqual({ url: DEFAULT_DATABASE_URL, poolSize: 10, statementTimeoutMs: 30_000 });
  });

  it('reads the settings and names the wrong one', () => {
    expect(readDatabaseConfig({ DATABASE_URL: 'postgres://u@db:6543/x', DB_POOL_SIZE: '3', DB_STATEMENT_TIMEOUT_MS: '0' })).toEqual({
      url: 'postgres://u@db:6543/x',
      poolSize: 3,
      statementTimeoutMs: 0,
    });
    expect(() => readDatabaseConfig({ DB_POOL_SIZE: '0' })).toThrow(DbConfigError);
    expect(() => readDatabaseConfig({ DB_POOL_SIZE: 'ten' })).toThrow(/DB_POOL_SIZE/);
    expect(() => readDatabaseConfig({ DB_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
    expect(() => readDatabaseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => readDatabaseConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('describes a URL without its password', () => {
    expect(describeDatabaseUrl('postgres://me:s3cret@db.internal:6543/ccpulse')).toBe('db.internal:6543/ccpulse');
  });
});

describe('parseInt8', () => {
  it('is a number while exact, a bigint beyond 2^53', () => {
    expect(parseInt8('42')).toBe(42);
    expect(parseInt8('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseInt8('9007199254740993')).toBe(9007199254740993n);
    expect(parseInt8('-9007199254740993')).toBe(-9007199254740993n);
  });
});
