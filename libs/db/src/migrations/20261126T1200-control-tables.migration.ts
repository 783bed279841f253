import { type Kysely, sql } from 'kysely';

// Typed Kysely<any> on purpose: a migration is frozen history and must not change when the app's
// table types do. Every statement is IF NOT EXISTS, so a half-applied run can be re-run.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member').check(sql`role in ('member', 'admin')`))
    .addColumn('onboarded', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_sync_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('api_tokens')
    .ifNotExists()
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_name', 'text', (c) => c.notNull().references('users.name').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').ifNotExists().on('api_tokens').column('user_name').execute();

  await db.schema
    .createTable('ingestor_heartbeats')
    .ifNotExists()
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('files_tracked', 'integer', (c) => c.notNull())
    .addColumn('lag_bytes', 'bigint', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('ingestor_heartbeats_pk', ['user_name', 'host'])
    .execute();

  for (const kind of ['skills', 'agents', 'commands']) {
    await db.schema
      .createTable(`usage_attribution_${kind}`)
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('curated', 'flea')`))
      .addColumn('ref_id', 'text')
      .addPrimaryKeyConstraint(`usage_attribution_${kind}_pk`, ['name', 'source'])
      .execute();
  }

  await db.schema
    .createTable('projection_state')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('live_version', 'integer')
    .addColumn('live_schema', 'text')
    .addColumn('building_version', 'integer')
    .addColumn('building_schema', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('projection_checkpoints')
    .ifNotExists()
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('schema_name', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

/** Forward-only in production; `down` exists for local development only. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'projection_checkpoints',
    'projection_state',
    'usage_attribution_commands',
    'usage_attribution_agents',
    'usage_attribution_skills',
    'ingestor_heartbeats',
    'api_tokens',
    'users',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
