import { USAGE_QUERY, type UsageData } from '../api/queries';
import { type AppContext, queryOrFail, store } from '../app.context';
import { coalesce } from '../core/coalesce';
import { rangeDays } from '../core/dates';
import type { Route } from '../core/route';
import { formatCompact, formatDay, formatUsd } from '../core/format';
import { bucketFor, bucketsBetween, stackUsage, type Metric, type SeriesKey, type TimeKey } from '../core/usage.shape';
import { StackedBars } from '../ui/chart';
import { csvDownloadButton } from '../ui/csv-download';
import { h, paintScheduler, RenderMemo, setText, toggleGroup } from '../ui/dom';
import { rangeControl } from '../ui/range-control';
import { goTo, recordRoute } from '../ui/url-state';
import { budgetSentence, burnSentence, modelTotals } from './usage.sections';

type UsageRoute = Extract<Route, { page: 'usage' }>;
type Period = 'DAY' | 'WEEK' | 'MONTH';

const BUDGET_KEY = 'ccpulse.budget';
const PERIOD_KEY = 'ccpulse.budgetPeriod';

/**
 * Usage: tokens or cost per day stacked by model (admins may stack by user or project), the
 * per-model totals, and where spending is heading against a budget. Range, measure and stacking
 * live in the URL (`#/usage?days=90&metric=cost&by=project`, or `from=…&to=…`).
 */
export function usageView(route: UsageRoute) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => mountUsage(ctx, root, route);
}

function mountUsage(ctx: AppContext, root: HTMLElement, route: UsageRoute): () => void {
  let metric: Metric = route.metric === 'cost' ? 'costUsd' : 'totalTokens';
  let budgetUsd = Number(store.get(BUDGET_KEY)) > 0 ? Number(store.get(BUDGET_KEY)) : 100;
  let period: Period = (['DAY', 'WEEK', 'MONTH'] as const).find((p) => p === store.get(PERIOD_KEY)) ?? 'MONTH';
  const admin = ctx.me.role === 'ADMIN';
  // Only admins see other users and projects: a member's link naming them falls back to model.
  let by: SeriesKey = admin && route.by ? route.by : 'model';
  const memo = new RenderMemo();
  const record = () => recordRoute({ page: 'usage', range: route.range, metric: metric === 'costUsd' ? 'cost' : undefined, by: by === 'model' ? undefined : by });

  const chartHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Usage per day' });
  const chart = new StackedBars(chartHost, (n) => (metric === 'costUsd' ? formatUsd(n) : formatCompact(n)));
  const chartNote = h('p', { class: 'muted', 'data-testid': 'chart-note' });
  const tableHost = h('div', { 'data-testid': 'model-table' });
  const budgetLine = h('p', { class: 'projection', 'data-testid': 'budget-text' });
  const burnLine = h('p', { class: 'muted', 'data-testid': 'burn-rate' });
  const budgetInput = h('input', { id: 'budget', type: 'number', min: '1', step: '1', value: String(budgetUsd), inputmode: 'decimal' });
  const periodSelect = h(
    'select',
    { id: 'budget-period' },
    (['DAY', 'WEEK', 'MONTH'] as const).map((p) => h('option', { value: p, selected: p === period }, p === 'DAY' ? 'per day' : p === 'WEEK' ? 'per week' : 'per month')),
  );
  budgetInput.addEventListener('change', () => {
    const v = Number(budgetInput.value);
    if (Number.isFinite(v) && v > 0) {
      budgetUsd = v;
      store.set(BUDGET_KEY, String(v));
      refresh.trigger();
    }
  });
  periodSelect.addEventListener('change', () => {
    period = periodSelect.value as Period;
    store.set(PERIOD_KEY, period);
    refresh.trigger();
  });

  const span = (): { from: string; to: string } => rangeDays(route.range, 30, ctx.now(), ctx.timeZone);
  const range = rangeControl({ id: 'usage', range: route.range, defaultDays: 30, span: span(), go: (r) => goTo({ ...route, range: r }) });

  const byOptions: { value: SeriesKey; label: string }[] = [{ value: 'model', label: 'Model' }];
  if (admin) byOptions.push({ value: 'user', label: 'User' }, { value: 'project', label: 'Project' });

  root.replaceChildren(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'usage-h' },
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { id: 'usage-h' }, 'Usage over time'),
        h(
          'div',
          { class: 'controls' },
          toggleGroup<Metric>('Measure', [{ value: 'totalTokens', label: 'Tokens' }, { value: 'costUsd', label: 'Cost' }], metric, (v) => {
            metric = v;
            record();
            refresh.trigger();
          }, 'metric-toggle'),
          byOptions.length > 1 &&
            toggleGroup<SeriesKey>('Stack by', byOptions, by, (v) => {
              by = v;
              record();
              refresh.trigger();
            }, 'by-toggle'),
        ),
      ),
      range,
      chartNote,
      chartHost,
    ),
    h('section', { class: 'panel', 'aria-labelledby': 'models-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'models-h' }, 'Per model'), csvDownloadButton(ctx.client, 'usage', () => ({ ...span(), timezone: ctx.timeZone }), ctx.fail)), tableHost),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'budget-h' },
      h('h2', { id: 'budget-h' }, 'Budget'),
      h('div', { class: 'controls' }, h('label', { for: 'budget' }, 'Budget (USD)'), budgetInput, h('label', { for: 'budget-period', class: 'sr-only' }, 'Budget period'), periodSelect),
      budgetLine,
      burnLine,
    ),
  );

  const refresh = coalesce(async () => {
    const { from, to } = span();
    const time = bucketFor(from, to);
    const groupBy = [time.toUpperCase(), 'MODEL', ...(by === 'model' ? [] : [by.toUpperCase()])];
    const d = await queryOrFail<UsageData>(ctx, USAGE_QUERY, { from, to, timezone: ctx.timeZone, groupBy, budgetUsd, period });
    if (!d) return;
    // Live ticks often change nothing in this range: then nothing is redrawn.
    if (!memo.changed('view', [d, from, to, metric, by])) return;
    latest = { d, from, to, time };
    painter.request();
  });

  let latest: { d: UsageData; from: string; to: string; time: TimeKey } | null = null;
  // Charts and tables are rebuilt at most four times a second however fast ticks arrive.
  const painter = paintScheduler(() => {
    if (!latest) return;
    const { d, from, to, time } = latest;
    const series = stackUsage(d.usage, { time, by, metric, buckets: bucketsBetween(from, to, time) });
    chart.update(series);
    setText(chartNote, `${metric === 'costUsd' ? 'Cost (USD)' : 'Tokens'} per ${time}, stacked by ${by}, ${formatDay(from)} to ${formatDay(to)} (days in ${ctx.timeZone}). Point at a bar for its values.`);
    chartHost.setAttribute('aria-label', `${metric === 'costUsd' ? 'Cost' : 'Tokens'} per ${time} from ${formatDay(from)} to ${formatDay(to)}, stacked by ${by}: ${series.labels.join(', ') || 'no data'}`);
    tableHost.replaceChildren(...modelTotals(d.usage, from, to));
    setText(budgetLine, budgetSentence(d.budgetProjection, ctx.timeZone));
    budgetLine.classList.toggle('warn', !d.budgetProjection.onTrack);
    setText(burnLine, burnSentence(d.burnRate, ctx.timeZone));
  }, 250);

  refresh.trigger();
  const offTick = ctx.onTick(() => refresh.trigger());
  return () => {
    offTick();
    painter.cancel();
    chart.destroy();
  };
}
