import { BUDGET_ALERTS_SUBSCRIPTION, BUDGETS_QUERY, type BudgetsData } from '../api/budget.queries';
import type { AppContext } from '../app.context';
import { crossedBudgets, periodLabel } from '../core/budget-label';
import { coalesce } from '../core/coalesce';
import { formatPercent, formatUsd } from '../core/format';
import { budgetSubjectLabel } from './budget-subject';
import { h } from './dom';

/**
 * The alert banner under the header: shown while any visible budget has crossed a threshold in
 * its current period. Read at start and again only when an alert is raised (the `budgetAlerts`
 * subscription), not after every commit: a tab open on any page should not re-read every
 * budget's spend each time a line is folded. Returns its element and a close function.
 */
export function budgetBanner(ctx: AppContext): { el: HTMLElement; close(): void } {
  const el = h('div', { class: 'banner banner-budget', role: 'status', hidden: true, 'data-testid': 'budget-banner' });
  const refresh = coalesce(async () => {
    let d: BudgetsData;
    try {
      d = await ctx.client.query<BudgetsData>(BUDGETS_QUERY);
    } catch {
      return; // the banner is secondary: the page's own queries report failures
    }
    const crossed = crossedBudgets(d.budgets);
    el.hidden = crossed.length === 0;
    el.replaceChildren(
      ...crossed.slice(0, 3).map(({ budget, alert }) =>
        h(
          'p',
          { 'data-budget-id': budget.id },
          budgetSubjectLabel(budget),
          ` ${alert.threshold >= 1 ? 'is over' : `passed ${formatPercent(alert.threshold, 0)} of`} its ${periodLabel(budget.period)} budget: ${formatUsd(budget.spendUsd)} of ${formatUsd(budget.limitUsd)}. `,
          h('a', { href: '#/budgets' }, 'Budgets'),
        ),
      ),
      ...(crossed.length > 3 ? [h('p', null, `and ${crossed.length - 3} more.`)] : []),
    );
  });
  refresh.trigger();
  const offAlerts = ctx.subscribe(BUDGET_ALERTS_SUBSCRIPTION, {}, () => refresh.trigger());
  return { el, close: offAlerts };
}
