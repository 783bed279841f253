import type { BudgetPeriod, BudgetScope, BudgetSpec } from '@ccpulse/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table } from '../sql-helpers';

/** A stored budget. */
export interface BudgetRecord extends BudgetSpec {
  id: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

function toBudget(r: {
  id: number;
  scope: BudgetScope;
  subject: string;
  period: BudgetPeriod;
  limit_usd: number;
  thresholds: number[];
  webhook_url: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}): BudgetRecord {
  return {
    id: Number(r.id),
    scope: r.scope,
    subject: r.subject,
    period: r.period,
    limitUsd: Number(r.limit_usd),
    thresholds: r.thresholds.map(Number),
    webhookUrl: r.webhook_url,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Creates the budget of (scope, subject, period), or replaces its limit, thresholds and webhook.
 * Alerts already raised this period stay raised (the ledger is keyed by budget id).
 */
export async function upsertBudget(db: Kysely<Database>, spec: BudgetSpec, by: string): Promise<BudgetRecord> {
  const row = await db
    .withSchema('public')
    .insertInto('budgets')
    .values({
      scope: spec.scope,
      subject: spec.subject,
      period: spec.period,
      limit_usd: spec.limitUsd,
      thresholds: spec.thresholds,
      webhook_url: spec.webhookUrl,
      created_by: by,
    })
    .onConflict((oc) =>
      oc.columns(['scope', 'subject', 'period']).doUpdateSet({
        limit_usd: spec.limitUsd,
        thresholds: spec.thresholds,
        webhook_url: spec.webhookUrl,
        updated_at: sql`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toBudget(row);
}

/** Deletes a budget (and its alerts); false when there was none with that id. */
export async function deleteBudget(db: Kysely<Database>, id: number): Promise<boolean> {
  const r = await db.withSchema('public').deleteFrom('budgets').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Every budget, team first, then by scope, subject and period. */
export async function listBudgets(db: Kysely<Database>): Promise<BudgetRecord[]> {
  const rows = await db.withSchema('public').selectFrom('budgets').selectAll().orderBy('scope', 'desc').orderBy('subject').orderBy('period').orderBy('id').execute();
  return rows.map(toBudget);
}

/**
 * A budget's spend (USD) from the hourly usage of projection `schema` in [from, to): the team
 * reads `usage_team_hourly`, a user or project `usage_model_hourly`.
 */
export async function budgetSpend(
  db: Kysely<Database>,
  schema: string,
  budget: Pick<BudgetSpec, 'scope' | 'subject'>,
  from: Date,
  to: Date,
): Promise<number> {
  const range = sql`hour >= ${from.toISOString()}::timestamptz and hour < ${to.toISOString()}::timestamptz`;
  const q =
    budget.scope === 'team'
      ? sql<{ spend: string | null }>`select sum(cost_usd) as spend from ${table(schema, 'usage_team_hourly')} where ${range}`
      : budget.scope === 'user'
        ? sql<{ spend: string | null }>`select sum(cost_usd) as spend from ${table(schema, 'usage_model_hourly')} where ${range} and user_name = ${budget.subject}`
        : sql<{ spend: string | null }>`select sum(cost_usd) as spend from ${table(schema, 'usage_model_hourly')} where ${range} and project = ${budget.subject}`;
  const r = await q.execute(db);
  return Number(r.rows[0]?.spend ?? 0);
}
