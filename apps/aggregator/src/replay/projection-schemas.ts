import { USAGE_PROJECTION, projectionDdl, type Database } from '@ccpulse/db';
import { sql, type Kysely } from 'kysely';

/**
 * Projection pointers by schema name. libs/db names a projection by its version (`usage_v<N>`);
 * a rebuild at the same version needs a second schema next to the live one, `usage_v<N>_r<k>`,
 * so the aggregator addresses schemas by name here, with the same DDL and the same
 * `projection_state` row the API reads.
 */
export const PROJECTION_SCHEMA = /^usage_v(\d+)(?:_r(\d+))?$/;

export function versionOfSchema(schema: string): number {
  const m = PROJECTION_SCHEMA.exec(schema);
  if (!m) throw new Error(`not a projection schema name: ${schema}`);
  return Number(m[1]);
}

/**
 * Creates the schema and its tables (idempotent; serialised per schema name). `ddl` replaces the
 * full projection DDL, e.g. for a bulk load's tables without their secondary indexes.
 */
export async function createSchemaNamed(db: Kysely<Database>, schema: string, ddl: readonly string[] = projectionDdl(schema)): Promise<void> {
  versionOfSchema(schema);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${schema}))`.execute(trx);
    for (const statement of ddl) await sql.raw(statement).execute(trx);
  });
}

/** The next free `usage_v<N>_r<k>` for a same-version rebuild. */
export async function nextRebuildSchema(db: Kysely<Database>, version: number): Promise<string> {
  const r = await sql<{ nspname: string }>`
    select nspname from pg_namespace where nspname like ${`usage_v${version}_r%`}`.execute(db);
  const used = r.rows.map((x) => Number(PROJECTION_SCHEMA.exec(x.nspname)?.[2] ?? 0));
  return `usage_v${version}_r${Math.max(0, ...used) + 1}`;
}

async function ensureStateRow(trx: Kysely<Database>): Promise<void> {
  await trx
    .withSchema('public')
    .insertInto('projection_state')
    .values({ name: USAGE_PROJECTION })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Records which schema is being built (shown by `ccpulse status`, resumed after a restart). */
export async function markBuilding(db: Kysely<Database>, version: number | null, schema: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await ensureStateRow(trx);
    await trx
      .withSchema('public')
      .updateTable('projection_state')
      .set({ building_version: version, building_schema: schema, updated_at: sql`now()` })
      .where('name', '=', USAGE_PROJECTION)
      .execute();
  });
}

/** The live projection before a swap. */
export interface PreviousLive {
  version: number | null;
  schema: string | null;
}

/**
 * Makes `schema` live in one transaction, only if it is still the one being built (so two
 * aggregators can never both swap). Returns the previous live pointer, or undefined when this
 * swap did not happen.
 */
export async function swapLive(db: Kysely<Database>, version: number, schema: string): Promise<PreviousLive | undefined> {
  return db.transaction().execute(async (trx) => {
    await ensureStateRow(trx);
    const row = await trx
      .withSchema('public')
      .selectFrom('projection_state')
      .selectAll()
      .where('name', '=', USAGE_PROJECTION)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.building_schema !== schema) return undefined;
    await trx
      .withSchema('public')
      .updateTable('projection_state')
      .set({
        live_version: version,
        live_schema: schema,
        building_version: null,
        building_schema: null,
        updated_at: sql`now()`,
      })
      .where('name', '=', USAGE_PROJECTION)
      .execute();
    return { version: row.live_version, schema: row.live_schema };
  });
}

/** Makes `schema` live when nothing is live yet (a fresh database); returns the live schema. */
export async function ensureLive(db: Kysely<Database>, version: number, schema: string): Promise<string> {
  await createSchemaNamed(db, schema);
  return db.transaction().execute(async (trx) => {
    await ensureStateRow(trx);
    const row = await trx
      .withSchema('public')
      .selectFrom('projection_state')
      .selectAll()
      .where('name', '=', USAGE_PROJECTION)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.live_schema) return row.live_schema;
    await trx
      .withSchema('public')
      .updateTable('projection_state')
      .set({ live_version: version, live_schema: schema, updated_at: sql`now()` })
      .where('name', '=', USAGE_PROJECTION)
      .execute();
    return schema;
  });
}

/** Drops a retired projection schema and its checkpoint row; never the live one. */
export async function dropSchemaNamed(db: Kysely<Database>, schema: string, consumer: string): Promise<void> {
  versionOfSchema(schema);
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .withSchema('public')
      .selectFrom('projection_state')
      .select('live_schema')
      .where('name', '=', USAGE_PROJECTION)
      .forUpdate()
      .executeTakeFirst();
    if (row?.live_schema === schema) throw new Error(`refusing to drop ${schema}: it is the live projection`);
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(trx);
    await trx.withSchema('public').deleteFrom('projection_checkpoints').where('consumer', '=', consumer).execute();
  });
}
