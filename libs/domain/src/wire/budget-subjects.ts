import { DEFAULT_SUBJECT_PREFIX } from './subjects';

/**
 * Core-NATS subject the aggregator announces each newly raised budget alert on (a `BudgetAlert`
 * as JSON); the API relays them to `budgetAlerts` subscribers.
 */
export function budgetAlertSubject(prefix = DEFAULT_SUBJECT_PREFIX): string {
  return `${prefix}.budgets.alert`;
}

/** Core-NATS subject the API pings after a budget is set or deleted, so the aggregator re-evaluates at once. */
export function budgetsChangedSubject(prefix = DEFAULT_SUBJECT_PREFIX): string {
  return `${prefix}.budgets.changed`;
}
