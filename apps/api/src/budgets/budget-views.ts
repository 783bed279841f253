import { budgetAlertText, budgetRatio, periodWindow, redactWebhookUrl, type BudgetAlert, type BudgetScope } from '@ccpulse/domain';
import type { BudgetAlertRecord, BudgetRecord } from '@ccpulse/db';
import { isAdmin, type Viewer } from '../auth/viewer';

/** Whether a viewer may see a budget: admins all; members the team, projects and their own. */
export function canSeeBudget(viewer: Viewer, b: { scope: BudgetScope; subject: string }): boolean {
  return isAdmin(viewer) || b.scope !== 'user' || b.subject === viewer.name;
}

const up = (s: string) => s.toUpperCase();

export function alertView(a: BudgetAlert & { delivery?: string }) {
  return {
    id: String(a.id),
    budgetId: String(a.budgetId),
    scope: up(a.scope),
    subject: a.subject,
    period: up(a.period),
    periodStart: a.periodStart,
    threshold: a.threshold,
    spendUsd: a.spendUsd,
    limitUsd: a.limitUsd,
    createdAt: a.createdAt,
    delivery: up(a.delivery ?? 'pending'),
    text: budgetAlertText(a),
  };
}

/** A budget in API terms, at `now`, with its spend and the alerts of its current period. */
export function budgetView(viewer: Viewer, b: BudgetRecord, spendUsd: number, alerts: readonly BudgetAlertRecord[], now: Date) {
  const w = periodWindow(b.period, now);
  const start = w.start.toISOString();
  return {
    id: String(b.id),
    scope: up(b.scope),
    subject: b.subject,
    period: up(b.period),
    limitUsd: b.limitUsd,
    thresholds: b.thresholds,
    webhookUrl: isAdmin(viewer) ? b.webhookUrl : redactWebhookUrl(b.webhookUrl),
    periodStart: start,
    periodEnd: w.end.toISOString(),
    spendUsd,
    ratio: budgetRatio(spendUsd, b.limitUsd),
    alerts: alerts
      .filter((a) => a.budgetId === b.id && a.periodStart === start)
      .sort((x, y) => x.threshold - y.threshold)
      .map(alertView),
  };
}
