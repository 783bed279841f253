import type { BudgetPeriod, BudgetScope } from './budget';

/** One threshold of one budget crossed in one period: what is recorded, posted and published. */
export interface BudgetAlert {
  id: number;
  budgetId: number;
  scope: BudgetScope;
  subject: string;
  period: BudgetPeriod;
  periodStart: string;
  threshold: number;
  spendUsd: number;
  limitUsd: number;
  createdAt: string;
}

function who(scope: BudgetScope, subject: string): string {
  if (scope === 'team') return 'The team';
  return scope === 'user' ? `User ${subject}` : `Project ${subject}`;
}

const PERIOD_WORD: Record<BudgetPeriod, string> = { day: 'today', week: 'this week', month: 'this month' };
const PERIOD_ADJ: Record<BudgetPeriod, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

/** The alert's one-line text (Slack and most chat webhooks show a JSON `text` field as is). */
export function budgetAlertText(a: Pick<BudgetAlert, 'scope' | 'subject' | 'period' | 'threshold' | 'spendUsd' | 'limitUsd'>): string {
  const pct = Math.round(a.threshold * 100);
  const verb = a.threshold >= 1 ? 'is over' : `reached ${pct}% of`;
  return `ccpulse: ${who(a.scope, a.subject)} ${verb} its ${PERIOD_ADJ[a.period]} budget: $${a.spendUsd.toFixed(2)} of $${a.limitUsd.toFixed(2)} ${PERIOD_WORD[a.period]} (UTC).`;
}

/** The webhook body: Slack-compatible `text`, plus the fields for other receivers. */
export function budgetWebhookBody(a: BudgetAlert): Record<string, unknown> {
  return {
    text: budgetAlertText(a),
    budget: { id: a.budgetId, scope: a.scope, subject: a.subject, period: a.period, limitUsd: a.limitUsd },
    threshold: a.threshold,
    spendUsd: a.spendUsd,
    periodStart: a.periodStart,
  };
}
