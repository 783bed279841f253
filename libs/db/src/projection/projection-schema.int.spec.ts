import { sql } from 'kysely';
import { DbError, NoLiveProjectionError } from '../errors';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import {
  createProjectionSchema,
  dropProjectionSchema,
  ensureLiveProjection,
  liveSchema,
  markProjectionBuilding,
  readProjectionState,
  swapLiveProjection,
} from './projection-schema';

jest.setTimeout(60_000);

describe('projection schemas (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('given a fresh database, there is no live projection until one is ensured', async () => {
    await expect(liveSchema(t.db)).rejects.toBeInstanceOf(NoLiveProjectionError);
    expect(await ensureLiveProjection(t.db, 1)).toBe('usage_v1');
    expect(await ensureLiveProjection(t.db, 2)).toBe('usage_v1');
    expect(await liveSchema(t.db)).toBe('usage_v1');
  });

  it('creating a schema twice (and concurrently) is a no-op the second time', async () => {
    await Promise.all([createProjectionSchema(t.db, 2), createProjectionSchema(t.db, 2)]);
    await createProjectionSchema(t.db, 2);
    const tables = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables where table_schema = 'usage_v2'`.execute(t.db);
    expect(tables.rows[0].n).toBe(10);
  });

  it('a shadow build is swapped live in one step, and the old schema can then be dropped but not the live one', async () => {
    await markProjectionBuilding(t.db, 2);
    expect(await readProjectionState(t.db)).toMatchObject({ liveSchema: 'usage_v1', buildingSchema: 'usage_v2' });
    expect(await swapLiveProjection(t.db, 2)).toBe(1);
    expect(await readProjectionState(t.db)).toMatchObject({ liveVersion: 2, liveSchema: 'usage_v2', buildingSchema: null });
    await expect(dropProjectionSchema(t.db, 2)).rejects.toBeInstanceOf(DbError);
    await dropProjectionSchema(t.db, 1);
    const left = await sql<{ nspname: string }>`select nspname from pg_namespace where nspname like 'usage_v%'`.execute(t.db);
    expect(left.rows.map((r) => r.nspname)).toEqual(['usage_v2']);
    await expect(swapLiveProjection(t.db, 1)).rejects.toThrow(/does not exist/);
  });

  it('a same-version rebuild schema can be created, swapped live and the name is validated', async () => {
    expect(await createProjectionSchema(t.db, 'usage_v2_r1')).toBe('usage_v2_r1');
    expect(await swapLiveProjection(t.db, 'usage_v2_r1')).toBe(2);
    expect(await readProjectionState(t.db)).toMatchObject({ liveVersion: 2, liveSchema: 'usage_v2_r1' });
    await dropProjectionSchema(t.db, 'usage_v2');
    await expect(createProjectionSchema(t.db, 'public')).rejects.toBeInstanceOf(DbError);
    await expect(createProjectionSchema(t.db, 'usage_v1; drop table users')).rejects.toBeInstanceOf(DbError);
  });
});
