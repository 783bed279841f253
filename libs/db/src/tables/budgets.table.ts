import type { BudgetPeriod, BudgetScope } from '@ccpulse/domain';
import type { CreatedAt, Generated, Money } from './column-types';

/** `budgets` (main schema): spending limits set by admins; unique per scope, subject and period. */
export interface BudgetsTable {
  id: Generated<number>;
  scope: BudgetScope;
  /** '' for the team */
  subject: string;
  period: BudgetPeriod;
  limit_usd: Money;
  thresholds: number[];
  webhook_url: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}
