import { sql } from 'kysely';
import { DatabaseUnavailableError } from '../errors';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { assertReachable, createDatabase } from './create-database';

jest.setTimeout(60_000);

describe('createDatabase (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('applies DB_STATEMENT_TIMEOUT_MS, runs in UTC and maps int8/numeric/date to JS values', async () => {
    const db = createDatabase({ url: t.url, poolSize: 1, statementTimeoutMs: 200 });
    try {
      await expect(sql`select pg_sleep(2)`.execute(db)).rejects.toThrow(/statement timeout/);
      const r = await sql<Record<string, unknown>>`
        select current_setting('TimeZone') as tz, 42::int8 as small, 9007199254740993::int8 as big,
          1.25::numeric(20, 9) as money, '2026-03-29'::date as day`.execute(db);
      expect(r.rows[0]).toEqual({ tz: 'UTC', small: 42, big: 9007199254740993n, money: 1.25, day: '2026-03-29' });
    } finally {
      await db.destroy();
    }
  });

  it('an unreachable server gives DatabaseUnavailableError naming the host, not the password', async () => {
    const db = createDatabase({ url: 'postgres://me:s3cret@127.0.0.1:1/nowhere', poolSize: 1 });
    try {
      const err = await assertReachable(db).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseUnavailableError);
      expect((err as Error).message).toContain('127.0.0.1:1/nowhere');
      expect((err as Error).message).not.toContain('s3cret');
      expect((err as DatabaseUnavailableError).code).toBe('DB_UNAVAILABLE');
    } finally {
      await db.destroy();
    }
  });
});
