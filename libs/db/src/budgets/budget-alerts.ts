import type { BudgetAlert, BudgetPeriod, BudgetScope } from '@ccpulse/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import type { AlertDelivery } from '../tables/budget-alerts.table';

/** A crossed threshold to record. */
export interface NewBudgetAlert {
  budgetId: number;
  threshold: number;
  periodStart: Date;
  spendUsd: number;
  limitUsd: number;
  webhookUrl: string | null;
}

/** A ledger row with its budget, as delivery and the API need it. */
export interface BudgetAlertRecord extends BudgetAlert {
  webhookUrl: string | null;
  delivery: AlertDelivery;
  attempts: number;
  lastError: string | null;
  deliveredAt: string | null;
}

interface Row {
  id: number;
  budget_id: number;
  threshold: number;
  period_start: Date;
  spend_usd: string | number;
  limit_usd: string | number;
  webhook_url: string | null;
  delivery: AlertDelivery;
  attempts: number;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  scope: BudgetScope;
  subject: string;
  period: BudgetPeriod;
}

function toAlert(r: Row): BudgetAlertRecord {
  return {
    id: Number(r.id),
    budgetId: Number(r.budget_id),
    scope: r.scope,
    subject: r.subject,
    period: r.period,
    periodStart: new Date(r.period_start).toISOString(),
    threshold: Number(r.threshold),
    spendUsd: Number(r.spend_usd),
    limitUsd: Number(r.limit_usd),
    createdAt: new Date(r.created_at).toISOString(),
    webhookUrl: r.webhook_url,
    delivery: r.delivery,
    attempts: r.attempts,
    lastError: r.last_error,
    deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
  };
}

const withBudget = sql`a.*, b.scope, b.subject, b.period`;

/**
 * Records crossed thresholds in the ledger; returns only those not recorded before. The unique
 * (budget, threshold, period start) key makes this the one place "once" is decided, whatever
 * number of evaluators race or restart.
 */
export async function recordBudgetAlerts(db: Kysely<Database>, alerts: readonly NewBudgetAlert[]): Promise<BudgetAlertRecord[]> {
  if (alerts.length === 0) return [];
  const r = await sql<Row>`
    with ins as (
      insert into public.budget_alerts as a (budget_id, threshold, period_start, spend_usd, limit_usd, webhook_url, delivery)
      select * from unnest(
        ${alerts.map((a) => a.budgetId)}::bigint[], ${alerts.map((a) => a.threshold)}::float8[],
        ${alerts.map((a) => a.periodStart.toISOString())}::timestamptz[], ${alerts.map((a) => a.spendUsd)}::numeric[],
        ${alerts.map((a) => a.limitUsd)}::numeric[], ${alerts.map((a) => a.webhookUrl)}::text[],
        ${alerts.map((a) => (a.webhookUrl ? 'pending' : 'none'))}::text[])
      on conflict (budget_id, threshold, period_start) do nothing
      returning *
    )
    select ${withBudget} from ins a join public.budgets b on b.id = a.budget_id
    order by a.budget_id, a.threshold`.execute(db);
  return r.rows.map(toAlert);
}

/**
 * Claims up to `limit` pending deliveries that are due and not held by another sender, for
 * `leaseMs`. The lease is what keeps two aggregators from posting the same alert at once; a
 * sender that dies keeps nothing beyond it.
 */
export async function claimDueAlerts(db: Kysely<Database>, leaseMs: number, limit = 20): Promise<BudgetAlertRecord[]> {
  const r = await sql<Row>`
    with due as (
      select id from public.budget_alerts
      where delivery = 'pending' and next_attempt_at <= now() and (claimed_until is null or claimed_until < now())
      order by next_attempt_at, id
      limit ${limit}
      for update skip locked
    ), claimed as (
      update public.budget_alerts a set claimed_until = now() + ${leaseMs} * interval '1 millisecond'
      from due where a.id = due.id
      returning a.*
    )
    select ${withBudget} from claimed a join public.budgets b on b.id = a.budget_id
    order by a.id`.execute(db);
  return r.rows.map(toAlert);
}

/** The webhook answered 2xx. */
export async function markAlertDelivered(db: Kysely<Database>, id: number): Promise<void> {
  await sql`update public.budget_alerts set delivery = 'delivered', delivered_at = now(), attempts = attempts + 1,
    claimed_until = null, last_error = null where id = ${id}`.execute(db);
}

/** An attempt failed: retry at `retryAt`, or give up (`null`). */
export async function markAlertAttemptFailed(db: Kysely<Database>, id: number, error: string, retryAt: Date | null): Promise<void> {
  await sql`update public.budget_alerts set attempts = attempts + 1, last_error = ${error.slice(0, 500)}, claimed_until = null,
    delivery = ${retryAt ? 'pending' : 'failed'}, next_attempt_at = coalesce(${retryAt?.toISOString() ?? null}::timestamptz, next_attempt_at)
    where id = ${id}`.execute(db);
}

/** Gives claims back (a sender stopping before it could try them). */
export async function releaseAlertClaims(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update public.budget_alerts set claimed_until = null where id = any(${ids}::bigint[]) and delivery = 'pending'`.execute(db);
}

/**
 * The alerts of the given budgets in the given periods (each budget's current one, for the API).
 * Keyed exactly rather than "since a date, newest first, capped": a cap would let many daily
 * alerts push a monthly budget's alerts of this month out of the answer.
 */
export async function listBudgetAlerts(db: Kysely<Database>, periods: readonly { budgetId: number; periodStart: Date }[]): Promise<BudgetAlertRecord[]> {
  if (periods.length === 0) return [];
  const r = await sql<Row>`
    select ${withBudget} from public.budget_alerts a join public.budgets b on b.id = a.budget_id
    where (a.budget_id, a.period_start) in (
      select * from unnest(${periods.map((p) => p.budgetId)}::bigint[], ${periods.map((p) => p.periodStart.toISOString())}::timestamptz[]))
    order by a.budget_id, a.threshold`.execute(db);
  return r.rows.map(toAlert);
}

/** When the next pending delivery is due (its retry time, or when its claim runs out); null if none. */
export async function nextAlertDueAt(db: Kysely<Database>): Promise<Date | null> {
  const r = await sql<{ due: Date | null }>`
    select min(greatest(next_attempt_at, coalesce(claimed_until, next_attempt_at))) as due
    from public.budget_alerts where delivery = 'pending'`.execute(db);
  const due = r.rows[0]?.due;
  return due ? new Date(due) : null;
}
