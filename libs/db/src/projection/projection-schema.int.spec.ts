import { sql } from 'kysely';
import { readCheckpoint, storeCheckpoint } from '../checkpoints/checkpoints';
import { DbError, NoLiveProjectionError } from '../errors';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import {
  createProjectionSchema,
  dropProjectionSchema,
  ensureLiveProjection,
  liveSchema,
  markProjectionBuilding,
  nextRebuildSchema,
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
    expect(tables.rows[0].n).toBe(11);
  });

  it('a schema made before usage_team_hourly existed gets it filled from usage_model_hourly, once', async () => {
    await createProjectionSchema(t.db, 3);
    const row = (hour: string, user: string, project: string, model: string, n: number) =>
      sql`(${hour}::timestamptz, ${user}, ${project}, ${model}, ${n}, ${10 * n}, 0, 0, 0, 0, ${11 * n}, ${n / 1000}, ${n})`;
    await sql`insert into usage_v3.usage_model_hourly values ${sql.join([
      row('2026-03-01T10:00:00Z', 'ann', '/a', 'opus', 1),
      row('2026-03-01T10:00:00Z', 'bob', '/a', 'opus', 2),
      row('2026-03-01T10:00:00Z', 'bob', '', 'opus', 4),
      row('2026-03-01T10:00:00Z', 'bob', '', 'sonnet', 8),
      row('2026-03-01T11:00:00Z', 'ann', '/b', 'opus', 16),
    ])}`.execute(t.db);
    await sql`drop table usage_v3.usage_team_hourly`.execute(t.db);
    await createProjectionSchema(t.db, 3);
    const team = async () =>
      (await sql<{ r: string }>`select concat_ws('|', hour, model, input_tokens, output_tokens, total_tokens, cost_usd, messages) as r
        from usage_v3.usage_team_hourly order by hour, model`.execute(t.db)).rows.map((x) => x.r);
    expect(await team()).toEqual([
      '2026-03-01 10:00:00+00|opus|7|70|77|0.007000000|7',
      '2026-03-01 10:00:00+00|sonnet|8|80|88|0.008000000|8',
      '2026-03-01 11:00:00+00|opus|16|160|176|0.016000000|16',
    ]);
    await createProjectionSchema(t.db, 3); // already there: left as it is
    expect(await team()).toHaveLength(3);
    await dropProjectionSchema(t.db, 3, 'c3');
  });

  it('a shadow build is swapped live in one step, and the old schema can then be dropped with its checkpoint but not the live one', async () => {
    expect(await swapLiveProjection(t.db, 2)).toBeUndefined(); // not being built
    await markProjectionBuilding(t.db, 2);
    expect(await readProjectionState(t.db)).toMatchObject({ liveSchema: 'usage_v1', buildingSchema: 'usage_v2' });
    expect(await swapLiveProjection(t.db, 2)).toEqual({ version: 1, schema: 'usage_v1' });
    expect(await readProjectionState(t.db)).toMatchObject({ liveVersion: 2, liveSchema: 'usage_v2', buildingSchema: null });
    await expect(dropProjectionSchema(t.db, 2, 'c2')).rejects.toBeInstanceOf(DbError);
    await storeCheckpoint(t.db, 'c1', 'usage_v1', 7);
    await dropProjectionSchema(t.db, 1, 'c1');
    expect(await readCheckpoint(t.db, 'c1')).toBeNull();
    const left = await sql<{ nspname: string }>`select nspname from pg_namespace where nspname like 'usage_v%'`.execute(t.db);
    expect(left.rows.map((r) => r.nspname)).toEqual(['usage_v2']);
    await expect(swapLiveProjection(t.db, 1)).rejects.toThrow(/does not exist/);
  });

  it('a same-version rebuild schema gets the next free name, is swapped live, and the name is validated', async () => {
    expect(await nextRebuildSchema(t.db, 2)).toBe('usage_v2_r1');
    expect(await createProjectionSchema(t.db, 'usage_v2_r1')).toBe('usage_v2_r1');
    expect(await nextRebuildSchema(t.db, 2)).toBe('usage_v2_r2');
    await markProjectionBuilding(t.db, 'usage_v2_r1');
    expect(await swapLiveProjection(t.db, 'usage_v2_r1')).toEqual({ version: 2, schema: 'usage_v2' });
    expect(await readProjectionState(t.db)).toMatchObject({ liveVersion: 2, liveSchema: 'usage_v2_r1' });
    await dropProjectionSchema(t.db, 'usage_v2', 'c2');
    await expect(createProjectionSchema(t.db, 'public')).rejects.toBeInstanceOf(DbError);
    await expect(createProjectionSchema(t.db, 'usage_v1; drop table users')).rejects.toBeInstanceOf(DbError);
  });
});
