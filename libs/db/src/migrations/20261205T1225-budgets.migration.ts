import { type Kysely, sql } from 'kysely';

// Kysely<any> on purpose: a migration is frozen history (see the control-tables migration).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('budgets')
    .ifNotExists()
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('team', 'user', 'project')`))
    // '' for the team: part of the unique key, so never null.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('day', 'week', 'month')`))
    .addColumn('limit_usd', 'numeric(14, 4)', (c) => c.notNull().check(sql`limit_usd > 0`))
    .addColumn('thresholds', sql`double precision[]`, (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('budgets_scope_subject_period_key', ['scope', 'subject', 'period'])
    .execute();

  // The alert ledger and webhook outbox in one: a row is the promise that an alert was raised
  // once for (budget, threshold, period); its delivery columns track the webhook POST.
  await db.schema
    .createTable('budget_alerts')
    .ifNotExists()
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('budget_id', 'bigint', (c) => c.notNull().references('budgets.id').onDelete('cascade'))
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('period_start', 'timestamptz', (c) => c.notNull())
    .addColumn('spend_usd', 'numeric(14, 4)', (c) => c.notNull())
    .addColumn('limit_usd', 'numeric(14, 4)', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('delivery', 'text', (c) => c.notNull().check(sql`delivery in ('none', 'pending', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('budget_alerts_once_key', ['budget_id', 'threshold', 'period_start'])
    .execute();
  await db.schema
    .createIndex('budget_alerts_pending_idx')
    .ifNotExists()
    .on('budget_alerts')
    .column('next_attempt_at')
    .where(sql.ref('delivery'), '=', 'pending')
    .execute();
}

/** Forward-only in production; `down` exists for local development only. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('budget_alerts').ifExists().execute();
  await db.schema.dropTable('budgets').ifExists().execute();
}
