import { BUDGETS_QUERY, type Budget, type BudgetsData } from '../api/budget.queries';
import { type AppContext, loadOnTicks, queryOrFail } from '../app.context';
import { mostUsedBudgets, periodLabel } from '../core/budget-label';
import { coalesce } from '../core/coalesce';
import { formatPercent, formatUsd } from '../core/format';
import { budgetSubjectLabel } from '../ui/budget-subject';
import { h, RenderMemo } from '../ui/dom';

/** Budgets listed on the home; the rest are counted, with a link to the Budgets page. */
const MAX_SHOWN = 5;
/**
 * Live ticks re-read the budgets at most this often: each budget's spend is a query of its own,
 * and a summary a few seconds behind is worth less than the load of re-reading it on every commit.
 */
const TICK_MS = 5000;

function budgetItem(b: Budget): HTMLElement {
  return h(
    'li',
    { 'data-budget': `${b.scope}:${b.subject}:${b.period}`, 'data-spend': b.spendUsd, 'data-limit': b.limitUsd, 'data-ratio': b.ratio.toFixed(4) },
    h('span', { class: 'budget-name' }, budgetSubjectLabel(b), h('span', { class: 'muted' }, ` ${periodLabel(b.period)}`)),
    h(
      'span',
      { class: `budget-use${b.ratio >= 1 ? ' warn' : ''}` },
      `${formatUsd(b.spendUsd)} of ${formatUsd(b.limitUsd)} `,
      h('meter', { min: 0, max: 1, high: 0.8, optimum: 0, value: Math.min(1, b.ratio), 'aria-hidden': 'true' }),
      ` ${formatPercent(b.ratio)}`,
    ),
  );
}

/**
 * The admin home's budgets summary: each budget's spend against its limit in its current period
 * (the `budgets` query, most used first), or a pointer to the Budgets page when there is none.
 */
export function homeBudgets(ctx: AppContext): { el: HTMLElement; close: () => void } {
  const memo = new RenderMemo();
  const body = h('div', { 'aria-live': 'polite' });
  const el = h(
    'div',
    { class: 'home-budgets', role: 'group', 'aria-labelledby': 'home-budgets-h', 'data-testid': 'home-budgets' },
    h('div', { class: 'panel-head' }, h('h3', { id: 'home-budgets-h' }, 'Budgets, current period'), h('a', { href: '#/budgets' }, 'Budgets page →')),
    body,
  );

  const load = coalesce(async () => {
    const d = await queryOrFail<BudgetsData>(ctx, BUDGETS_QUERY);
    if (!d) return;
    if (!memo.changed('budgets', d.budgets)) return;
    if (d.budgets.length === 0) {
      body.replaceChildren(h('p', { class: 'muted', 'data-testid': 'home-budgets-empty' }, 'No budgets yet. ', h('a', { href: '#/budgets' }, 'Set a spending limit on the Budgets page'), '.'));
      return;
    }
    const shown = mostUsedBudgets(d.budgets, MAX_SHOWN);
    const rest = d.budgets.length - shown.length;
    body.replaceChildren(
      h('ul', { class: 'budget-summary', 'aria-label': 'Spend against each budget\'s limit' }, shown.map(budgetItem)),
      ...(rest > 0 ? [h('p', { class: 'muted' }, `and ${rest} more on the `, h('a', { href: '#/budgets' }, 'Budgets page'), '.')] : []),
    );
  });
  return { el, close: loadOnTicks(ctx, () => load.trigger(), TICK_MS) };
}
