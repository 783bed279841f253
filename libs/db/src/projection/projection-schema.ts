import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { DbError, NoLiveProjectionError } from '../errors';
import { projectionDdl } from './projection-ddl';

/** The projection row's name in `projection_state`. */
export const USAGE_PROJECTION = 'usage';

/**
 * The one pattern of a projection schema's name: `usage_v<N>` for processor version N, and
 * `usage_v<N>_r<k>` for the k-th same-version rebuild, which needs a schema next to the live one.
 */
const SCHEMA_NAME = /^usage_v([1-9]\d*)(?:_r([1-9]\d*))?$/;

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

/** A projection schema's name and what it names. */
export interface ResolvedProjection {
  schema: string;
  /** the processor version N */
  version: number;
  /** k of a same-version rebuild (`usage_v<N>_r<k>`), else null */
  rebuild: number | null;
}

/** The schema name, processor version and rebuild of a ProjectionRef; rejects anything else. */
export function resolveProjection(ref: ProjectionRef): ResolvedProjection {
  if (typeof ref === 'number') return { schema: projectionSchemaName(ref), version: ref, rebuild: null };
  const m = SCHEMA_NAME.exec(ref);
  if (!m) throw new DbError('DB_BAD_PROJECTION_VERSION', `not a projection schema name: '${ref}' (expected usage_v<N> or usage_v<N>_r<k>)`);
  return { schema: ref, version: Number(m[1]), rebuild: m[2] ? Number(m[2]) : null };
}

/** The next free `usage_v<N>_r<k>` for a same-version rebuild. */
export async function nextRebuildSchema(db: Kysely<Database>, version: number): Promise<string> {
  const base = projectionSchemaName(version);
  const r = await sql<{ nspname: string }>`select nspname from pg_namespace where nspname like ${`${base}_r%`}`.execute(db);
  const used = r.rows.map((x) => Number(SCHEMA_NAME.exec(x.nspname)?.[2] ?? 0));
  return `${base}_r${Math.max(0, ...used) + 1}`;
}

/** Where the projection stands: what the API reads and what is being rebuilt. */
export interface ProjectionState {
  liveVersion: number | null;
  liveSchema: string | null;
  buildingVersion: number | null;
  buildingSchema: string | null;
  updatedAt: Date | null;
}

/** The live projection a swap replaced. */
export interface PreviousLive {
  version: number | null;
  schema: string | null;
}

/**
 * Creates a projection schema with its tables and returns its name. The DDL is idempotent and
 * runs under a per-schema advisory lock, so two aggregators starting together do not race on
 * IF NOT EXISTS. `ddl` replaces the full DDL, e.g. a bulk load's tables without their indexes.
 */
export async function createProjectionSchema(db: Kysely<Database>, ref: ProjectionRef, ddl?: readonly string[]): Promise<string> {
  const { schema } = resolveProjection(ref);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${schema}))`.execute(trx);
    for (const statement of ddl ?? projectionDdl(schema)) await sql.raw(statement).execute(trx);
  });
  return schema;
}

/**
 * Drops a retired projection schema and the checkpoint of the consumer that wrote it (so a
 * schema of that name built again starts from sequence 1); refuses to drop the live one. The
 * building pointer stays: a build restarting in an emptied schema is still the one being built.
 */
export async function dropProjectionSchema(db: Kysely<Database>, ref: ProjectionRef, consumer: string): Promise<void> {
  const { schema } = resolveProjection(ref);
  await db.transaction().execute(async (trx) => {
    const state = await lockState(trx);
    if (state?.live_schema === schema) {
      throw new DbError('DB_DROP_LIVE_PROJECTION', `refusing to drop ${schema}: it is the live projection`);
    }
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(trx);
    await trx.withSchema('public').deleteFrom('projection_checkpoints').where('consumer', '=', consumer).execute();
  });
}

/**
 * Records which schema is being built (shown by `ccpulse status`, resumed after a restart), or
 * none; the live pointer is untouched.
 */
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
 * Makes the schema live in one transaction, but only if it is still the one being built, so two
 * aggregators can never both swap (the row lock serialises them). Returns the previous live
 * pointer (for the caller to retire), or undefined when this swap did not happen.
 */
export async function swapLiveProjection(db: Kysely<Database>, ref: ProjectionRef): Promise<PreviousLive | undefined> {
  const { schema, version } = resolveProjection(ref);
  return db.transaction().execute(async (trx) => {
    const exists = await sql<{ ok: boolean }>`select exists(select 1 from pg_namespace where nspname = ${schema}) as ok`.execute(trx);
    if (!exists.rows[0]?.ok) {
      throw new DbError('DB_NO_SUCH_PROJECTION', `cannot swap to ${schema}: the schema does not exist`);
    }
    const before = await lockStateRow(trx);
    if (before.building_schema !== schema) return undefined;
    await setState(trx, { live_version: version, live_schema: schema, building_version: null, building_schema: null });
    return { version: before.live_version, schema: before.live_schema };
  });
}

/**
 * Creates `usage_v<version>` and makes it live, but only when no projection is live yet (a fresh
 * database). Returns the live schema either way.
 */
export async function ensureLiveProjection(db: Kysely<Database>, version: number): Promise<string> {
  const state = await readProjectionState(db);
  if (state.liveSchema) return state.liveSchema;
  const schema = await createProjectionSchema(db, version);
  return db.transaction().execute(async (trx) => {
    const row = await lockStateRow(trx);
    if (row.live_schema) return row.live_schema;
    await setState(trx, { live_version: version, live_schema: schema });
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

/** Locks the state row, creating it first on a fresh database. */
async function lockStateRow(trx: Kysely<Database>) {
  await trx
    .withSchema('public')
    .insertInto('projection_state')
    .values({ name: USAGE_PROJECTION })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await lockState(trx))!;
}

type StatePointers = Partial<Record<'live_version' | 'building_version', number | null> & Record<'live_schema' | 'building_schema', string | null>>;

async function setState(trx: Kysely<Database>, pointers: StatePointers): Promise<void> {
  await trx
    .withSchema('public')
    .updateTable('projection_state')
    .set({ ...pointers, updated_at: sql`now()` })
    .where('name', '=', USAGE_PROJECTION)
    .execute();
}
