import { sql } from 'kysely';
import { createDatabase } from '../connection/create-database';
import { PendingMigrationsError } from '../errors';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { assertMigrated, migrateToLatest, pendingMigrations } from './migrate-to-latest';
import { MIGRATIONS } from './migrations';

jest.setTimeout(60_000);

describe('migrateToLatest (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(async () => {
    await t.drop();
  });

  it('given a migrated database, when run again, then it applies nothing and the tables are there', async () => {
    expect(await pendingMigrations(t.db)).toEqual([]);
    await expect(assertMigrated(t.db)).resolves.toBeUndefined();
    expect(await migrateToLatest(t.db)).toEqual({ applied: [] });
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(t.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['users', 'api_tokens', 'ingestor_heartbeats', 'projection_state', 'projection_checkpoints', 'usage_attribution_skills']),
    );
  });

  it('given an empty database, assertMigrated lists the pending migrations', async () => {
    await sql`drop table kysely_migration, kysely_migration_lock`.execute(t.db);
    await expect(assertMigrated(t.db)).rejects.toBeInstanceOf(PendingMigrationsError);
    await expect(assertMigrated(t.db)).rejects.toThrow(Object.keys(MIGRATIONS)[0]);
  });

  it('given two pools racing from an empty database, both succeed and each migration runs once', async () => {
    await sql`drop table kysely_migration, kysely_migration_lock, users, api_tokens cascade`.execute(t.db);
    const a = createDatabase({ url: t.url, poolSize: 2 });
    const b = createDatabase({ url: t.url, poolSize: 2 });
    try {
      const [ra, rb] = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      expect([...ra.applied, ...rb.applied]).toEqual(Object.keys(MIGRATIONS));
      expect(await pendingMigrations(t.db)).toEqual([]);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });
});
