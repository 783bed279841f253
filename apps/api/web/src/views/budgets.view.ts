import { ApiError } from '../api/graphql.client';
import { BUDGETS_QUERY, DELETE_BUDGET, SET_BUDGET, type Budget, type BudgetPeriod, type BudgetScope, type BudgetsData } from '../api/budget.queries';
import { type AppContext, queryOrFail } from '../app.context';
import { budgetSubject, parseThresholds, periodLabel } from '../core/budget-label';
import { coalesce } from '../core/coalesce';
import { dayInZone } from '../core/dates';
import { formatDay, formatPercent, formatUsd } from '../core/format';
import { budgetSubjectLabel } from '../ui/budget-subject';
import { csvRowsButton, type CsvColumns } from '../ui/csv-download';
import { h, RenderMemo, setText, table } from '../ui/dom';
import { pathLabel } from '../ui/path';

/**
 * Budgets: each budget's spend and ratio in its current (UTC) period and the thresholds it
 * crossed; admins add (or replace) and delete budgets. Refreshes after every commit.
 */
export function budgetsView() {
  return (ctx: AppContext, root: HTMLElement): (() => void) => mountBudgets(ctx, root);
}

/** A webhook's scheme and host: its path is often the secret, and a CSV travels further than the page. */
function webhookOrigin(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The budgets table as CSV (no server export serves budgets): fractions as the API gives them. */
const BUDGET_CSV: CsvColumns<Budget> = [
  ['scope', (b) => b.scope],
  ['subject', (b) => b.subject],
  ['period', (b) => b.period],
  ['periodStart', (b) => b.periodStart],
  ['periodEnd', (b) => b.periodEnd],
  ['spendUsd', (b) => b.spendUsd],
  ['limitUsd', (b) => b.limitUsd],
  ['ratio', (b) => b.ratio],
  ['thresholds', (b) => b.thresholds.join(' ')],
  ['alertedThresholds', (b) => b.alerts.map((a) => a.threshold).join(' ')],
  ['webhookOrigin', (b) => webhookOrigin(b.webhookUrl)],
];

function field(id: string, label: string, control: HTMLElement): HTMLElement[] {
  return [h('label', { for: id }, label), control];
}

function mountBudgets(ctx: AppContext, root: HTMLElement): () => void {
  const admin = ctx.me.role === 'ADMIN';
  const memo = new RenderMemo();
  /** The budgets on screen, for the CSV button. */
  let budgets: Budget[] = [];
  const listHost = h('div', { 'data-testid': 'budgets-table' });
  const formError = h('p', { class: 'warn', role: 'status', 'data-testid': 'budget-form-error' });

  const scope = h('select', { id: 'budget-scope', name: 'scope' }, h('option', { value: 'TEAM' }, 'Team'), h('option', { value: 'USER' }, 'User'), h('option', { value: 'PROJECT' }, 'Project'));
  const subject = h('input', { id: 'budget-subject', name: 'subject', placeholder: 'user or project path', disabled: true });
  const period = h('select', { id: 'budget-period', name: 'period' }, h('option', { value: 'DAY' }, 'Day'), h('option', { value: 'WEEK' }, 'Week'), h('option', { value: 'MONTH', selected: true }, 'Month'));
  const limit = h('input', { id: 'budget-limit', name: 'limitUsd', type: 'number', min: '0.01', step: '0.01', required: true });
  const thresholds = h('input', { id: 'budget-thresholds', name: 'thresholds', value: '50, 80, 100' });
  const webhook = h('input', { id: 'budget-webhook', name: 'webhookUrl', type: 'url', placeholder: 'https://hooks.slack.com/…' });
  scope.addEventListener('change', () => {
    subject.disabled = scope.value === 'TEAM';
    if (subject.disabled) subject.value = '';
  });
  const form = h(
    'form',
    { class: 'controls', 'aria-label': 'Set a budget', 'data-testid': 'budget-form' },
    field('budget-scope', 'Scope', scope),
    field('budget-subject', 'Subject', subject),
    field('budget-period', 'Period', period),
    field('budget-limit', 'Limit (USD)', limit),
    field('budget-thresholds', 'Alert at (%)', thresholds),
    field('budget-webhook', 'Webhook', webhook),
    h('button', { type: 'submit' }, 'Save budget'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const t = parseThresholds(thresholds.value);
    if (!t) {
      setText(formError, 'Thresholds: percentages such as 50, 80, 100.');
      return;
    }
    const input = {
      scope: scope.value as BudgetScope,
      subject: subject.value.trim(),
      period: period.value as BudgetPeriod,
      limitUsd: Number(limit.value),
      thresholds: t,
      webhookUrl: webhook.value.trim() || null,
    };
    void ctx.client.query(SET_BUDGET, { input }).then(
      () => {
        setText(formError, '');
        refresh.trigger();
      },
      (err) => (err instanceof ApiError ? setText(formError, err.message) : ctx.fail(err)),
    );
  });

  const remove = (b: Budget) => {
    if (!confirm(`Delete the ${periodLabel(b.period)} budget of ${budgetSubject(b)}?`)) return;
    void ctx.client.query(DELETE_BUDGET, { id: b.id }).then(() => refresh.trigger(), ctx.fail);
  };

  root.replaceChildren(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'budgets-h' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'budgets-h' }, 'Budgets'), csvRowsButton('budgets', () => `budgets-${dayInZone(ctx.now(), 'UTC')}`, BUDGET_CSV, () => budgets)),
      h('p', { class: 'muted' }, 'Spend in the current period (UTC days, ISO weeks from Monday, months). Each threshold alerts once per period.'),
      listHost,
    ),
    ...(admin ? [h('section', { class: 'panel', 'aria-labelledby': 'budget-new-h' }, h('h2', { id: 'budget-new-h' }, 'Add or change a budget'), form, formError)] : []),
  );

  const refresh = coalesce(async () => {
    const d = await queryOrFail<BudgetsData>(ctx, BUDGETS_QUERY);
    if (!d) return;
    if (!memo.changed('budgets', [d])) return;
    budgets = d.budgets;
    listHost.replaceChildren(
      table(
        'Budgets and their spend this period',
        [
          { label: 'Budget', cell: (b) => budgetSubjectLabel(b) },
          { label: 'Period', cell: (b) => `${periodLabel(b.period)}, from ${formatDay(b.periodStart.slice(0, 10))}` },
          { label: 'Spend', numeric: true, cell: (b) => formatUsd(b.spendUsd) },
          { label: 'Limit', numeric: true, cell: (b) => formatUsd(b.limitUsd) },
          {
            label: 'Used',
            numeric: true,
            cell: (b) => h('span', { class: b.ratio >= 1 ? 'warn' : null }, h('meter', { min: 0, max: 1, high: 0.8, optimum: 0, value: Math.min(1, b.ratio), 'aria-hidden': 'true' }), ' ', formatPercent(b.ratio)),
          },
          { label: 'Alerts this period', cell: (b) => (b.alerts.length ? b.alerts.map((a) => formatPercent(a.threshold, 0)).join(', ') : '—') },
          { label: 'Webhook', cell: (b) => pathLabel(b.webhookUrl) },
          ...(admin ? [{ label: 'Actions', cell: (b: Budget) => h('button', { type: 'button', class: 'link', onclick: () => remove(b), 'aria-label': `Delete the budget of ${budgetSubject(b)}` }, 'Delete') }] : []),
        ],
        d.budgets,
        { empty: admin ? 'No budgets yet: add one below.' : 'No budgets yet.', rowAttrs: (b) => ({ 'data-budget': `${b.scope}:${b.subject}:${b.period}`, 'data-ratio': b.ratio.toFixed(4) }) },
      ),
    );
  });

  refresh.trigger();
  const offTick = ctx.onTick(() => refresh.trigger());
  return () => offTick();
}
