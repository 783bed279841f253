import type { ColumnType } from 'kysely';
import type { CreatedAt, Generated, Int8, Money, NullableTimestamp, Timestamp } from './column-types';

/** Where an alert's webhook stands: none configured, waiting (or retrying), done, given up. */
export type AlertDelivery = 'none' | 'pending' | 'delivered' | 'failed';

/**
 * `budget_alerts` (main schema): the ledger of crossed thresholds, unique per budget, threshold
 * and period start (so an alert is raised once), and the outbox of their webhook POSTs.
 */
export interface BudgetAlertsTable {
  id: Generated<number>;
  budget_id: Int8;
  threshold: number;
  period_start: Timestamp;
  spend_usd: Money;
  limit_usd: Money;
  /** The budget's webhook when the alert was raised. */
  webhook_url: string | null;
  delivery: AlertDelivery;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** A sender holds the row until then (a crashed sender's claim simply runs out). */
  claimed_until: NullableTimestamp;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  created_at: CreatedAt;
}
