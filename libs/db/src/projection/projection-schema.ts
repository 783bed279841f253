import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { DbError, NoLiveProjectionError } from '../errors';
import { projectionDdl } from './projection-ddl';

/** The projection row's name in `projection_state`. */
export const USAGE_PROJECTION = 'usage';

/** `usage_v<N>`: the schema holding the projection built by processor version N. */
export function projectionSchemaName(version: number): string {
  if (!Number.isInteger(version) || version < 1) {
    throw new DbError('DB_BAD_PROJECTION_VERSION', `projection version must be a positive integer (got ${version})`);
  }
  return `usage_v${version}`;
}

/**
 * A projection schema named by its processor version (`3` → `usage_v3`) or by its full name —
 * `usage_v<N>` or `usage_v<N>_r<k>` for a same-version rebuild next to the live schema.
 */
export type ProjectionRef = number | string;

const SCHEMA_NAME = /^usage_v([1-9]\d*)(?:_r[1-9]\d*)?$/;

/** The schema name and processor version of a ProjectionRef; rejects anything else. */
export function resolveProjection(ref: ProjectionRef): { schema: string; version: number } {
  if (typeof ref === 'number') return { schema: projectionSchemaName(ref), version: ref };
  const m = SCHEMA_NAME.exec(ref);
  if (!m) throw new DbError('DB_BAD_PROJECTION_VERSION', `not a projection schema name: '${ref}' (expected usage_v<N> or usage_v<N>_r<k>)`);
  return { schema: ref, version: Number(m[1]) };
}

/** Where the projection stands: what the API reads and what is being rebuilt. */
export interface ProjectionState {
  liveVersion: number | null;
  liveSchema: string | null;
  buildingVersion: number | null;
  buildingSchema: string | null;
  updatedAt: Date | null;
}

/**
 * Creates a projection schema (`usage_v<version>`, or a named `usage_v<N>_r<k>` rebuild) with all
 * projection tables (idempotent DDL, under a transaction advisory lock so two aggregators
 * starting together do not race on IF NOT EXISTS). Returns the schema name.
 */
export async function createProjectionSchema(db: Kysely<Database>, ref: ProjectionRef): Promise<string> {
  const { schema } = resolveProjection(ref);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${schema}))`.execute(trx);
    for (const statement of projectionDdl(schema)) await sql.raw(statement).execute(trx);
  });
  return schema;
}

/** Drops a projection schema and everything in it; refuses to drop the live one. */
export async function dropProjectionSchema(db: Kysely<Database>, ref: ProjectionRef): Promise<void> {
  const { schema } = resolveProjection(ref);
  await db.transaction().execute(async (trx) => {
    const state = await lockState(trx);
    if (state?.live_schema === schema) {
      throw new DbError('DB_DROP_LIVE_PROJECTION', `refusing to drop ${schema}: it is the live projection`);
    }
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(trx);
    if (state?.building_schema === schema) {
      await trx
        .withSchema('public')
        .updateTable('projection_state')
        .set({ building_schema: null, building_version: null, updated_at: sql`now()` })
        .where('name', '=', USAGE_PROJECTION)
        .execute();
    }
  });
}

/** Marks a projection schema as being built (shadow); the live pointer is untouched. */
export async function markProjectionBuilding(db: Kysely<Database>, ref: ProjectionRef | null): Promise<void> {
  const resolved = ref === null ? null : resolveProjection(ref);
  const schema = resolved?.schema ?? null;
  const version = resolved?.version ?? null;
  await db
    .withSchema('public')
    .insertInto('projection_state')
    .values({ name: USAGE_PROJECTION, building_version: version, building_schema: schema })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ building_version: version, building_schema: schema, updated_at: sql`now()` }),
    )
    .execute();
}

/**
 * Makes the projection schema the live one in one transaction (the row lock serialises
 * concurrent swaps); clears the building pointer if it pointed there. Returns the previous
 * live version (so the caller can drop it).
 */
export async function swapLiveProjection(db: Kysely<Database>, ref: ProjectionRef): Promise<number | null> {
  const { schema, version } = resolveProjection(ref);
  return db.transaction().execute(async (trx) => {
    const exists = await sql<{ ok: boolean }>`select exists(select 1 from pg_namespace where nspname = ${schema}) as ok`.execute(trx);
    if (!exists.rows[0]?.ok) {
      throw new DbError('DB_NO_SUCH_PROJECTION', `cannot swap to ${schema}: the schema does not exist`);
    }
    await trx
      .withSchema('public')
      .insertInto('projection_state')
      .values({ name: USAGE_PROJECTION })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const before = await lockState(trx);
    const building = before?.building_schema === schema;
    await trx
      .withSchema('public')
      .updateTable('projection_state')
      .set({
        live_version: version,
        live_schema: schema,
        ...(building ? { building_version: null, building_schema: null } : {}),
        updated_at: sql`now()`,
      })
      .where('name', '=', USAGE_PROJECTION)
      .execute();
    return before?.live_version ?? null;
  });
}

/**
 * Creates `usage_v<version>` and makes it live, but only when no projection is live yet (a fresh
 * database). Returns the live schema either way.
 */
export async function ensureLiveProjection(db: Kysely<Database>, version: number): Promise<string> {
  const state = await readProjectionState(db);
  if (state.liveSchema) return state.liveSchema;
  await createProjectionSchema(db, version);
  return db.transaction().execute(async (trx) => {
    await trx
      .withSchema('public')
      .insertInto('projection_state')
      .values({ name: USAGE_PROJECTION })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await lockState(trx);
    if (row?.live_schema) return row.live_schema;
    const schema = projectionSchemaName(version);
    await trx
      .withSchema('public')
      .updateTable('projection_state')
      .set({ live_version: version, live_schema: schema, updated_at: sql`now()` })
      .where('name', '=', USAGE_PROJECTION)
      .execute();
    return schema;
  });
}

/** The projection pointers (all null on a fresh database). */
export async function readProjectionState(db: Kysely<Database>): Promise<ProjectionState> {
  const row = await db
    .withSchema('public')
    .selectFrom('projection_state')
    .selectAll()
    .where('name', '=', USAGE_PROJECTION)
    .executeTakeFirst();
  return {
    liveVersion: row?.live_version ?? null,
    liveSchema: row?.live_schema ?? null,
    buildingVersion: row?.building_version ?? null,
    buildingSchema: row?.building_schema ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

/** The schema the API reads now; throws NoLiveProjectionError when none is live. */
export async function liveSchema(db: Kysely<Database>): Promise<string> {
  const { liveSchema: schema } = await readProjectionState(db);
  if (!schema) throw new NoLiveProjectionError();
  return schema;
}

async function lockState(trx: Kysely<Database>) {
  return trx
    .withSchema('public')
    .selectFrom('projection_state')
    .selectAll()
    .where('name', '=', USAGE_PROJECTION)
    .forUpdate()
    .executeTakeFirst();
}
