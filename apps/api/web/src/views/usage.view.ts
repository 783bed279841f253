import { USAGE_QUERY, type UsageData } from '../api/queries';
import { store, type AppContext } from '../app.context';
import { budgetText } from '../core/budget.projection';
import { coalesce } from '../core/coalesce';
import { addDays, dayInZone, lastDays } from '../core/dates';
import { routeHash, type DayRange } from '../core/route';
import { formatCompact, formatDateTime, formatInteger, formatUsd } from '../core/format';
import { bucketFor, bucketsBetween, grandTotal, stackUsage, totalsBy, type Metric, type SeriesKey, type TimeKey } from '../core/usage.shape';
import { StackedBars } from '../ui/chart';
import { csvDownloadButton } from '../ui/csv-download';
import { h, paintScheduler, RenderMemo, setText, table, toggleGroup } from '../ui/dom';

type Range = '7' | '30' | '90';
type Period = 'DAY' | 'WEEK' | 'MONTH';

const BUDGET_KEY = 'ccpulse.budget';
const PERIOD_KEY = 'ccpulse.budgetPeriod';

/**
 * Usage: tokens or cost per day stacked by model (admins may stack by user or project), the
 * per-model totals, and where spending is heading against a budget. The range is the last 7, 30
 * or 90 days, or the days named in the hash (`#/usage?from=…&to=…`).
 */
export function usageView(custom: DayRange) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => mountUsage(ctx, root, custom);
}

function mountUsage(ctx: AppContext, root: HTMLElement, custom: DayRange): () => void {
  let range: Range = '30';
  let metric: Metric = 'totalTokens';
  let by: SeriesKey = 'model';
  let budgetUsd = Number(store.get(BUDGET_KEY)) > 0 ? Number(store.get(BUDGET_KEY)) : 100;
  let period: Period = (['DAY', 'WEEK', 'MONTH'] as const).find((p) => p === store.get(PERIOD_KEY)) ?? 'MONTH';
  const admin = ctx.me.role === 'ADMIN';
  const memo = new RenderMemo();

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

  const span = (): { from: string; to: string } => {
    if (!custom.from && !custom.to) return lastDays(Number(range), ctx.now(), ctx.timeZone);
    const to = custom.to ?? dayInZone(ctx.now(), ctx.timeZone);
    return { from: custom.from ?? addDays(to, -29), to };
  };
  const fromInput = h('input', { id: 'usage-from', name: 'from', type: 'date', value: span().from });
  const toInput = h('input', { id: 'usage-to', name: 'to', type: 'date', value: span().to });
  const rangeForm = h(
    'form',
    { class: 'controls', 'aria-label': 'Date range' },
    h('label', { for: 'usage-from' }, 'From'),
    fromInput,
    h('label', { for: 'usage-to' }, 'To'),
    toInput,
    h('button', { type: 'submit' }, 'Show'),
  );
  rangeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = routeHash({ page: 'usage', range: { from: fromInput.value || undefined, to: toInput.value || undefined } });
  });

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
          toggleGroup<Range>('Range', [{ value: '7', label: '7 days' }, { value: '30', label: '30 days' }, { value: '90', label: '90 days' }], custom.from || custom.to ? ('' as Range) : range, (v) => {
            range = v;
            custom = {};
            const s = span();
            fromInput.value = s.from;
            toInput.value = s.to;
            refresh.trigger();
          }),
          toggleGroup<Metric>('Measure', [{ value: 'totalTokens', label: 'Tokens' }, { value: 'costUsd', label: 'Cost' }], metric, (v) => {
            metric = v;
            refresh.trigger();
          }, 'metric-toggle'),
          byOptions.length > 1 &&
            toggleGroup<SeriesKey>('Stack by', byOptions, by, (v) => {
              by = v;
              refresh.trigger();
            }, 'by-toggle'),
        ),
      ),
      rangeForm,
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
    let d: UsageData;
    try {
      d = await ctx.client.query<UsageData>(USAGE_QUERY, { from, to, timezone: ctx.timeZone, groupBy, budgetUsd, period });
    } catch (err) {
      ctx.fail(err);
      return;
    }
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
    setText(chartNote, `${metric === 'costUsd' ? 'Cost (USD)' : 'Tokens'} per ${time}, stacked by ${by}, ${from} to ${to} (${ctx.timeZone}).`);
    chartHost.setAttribute('aria-label', `${metric === 'costUsd' ? 'Cost' : 'Tokens'} per ${time} from ${from} to ${to}, stacked by ${by}: ${series.labels.join(', ') || 'no data'}`);
    const totals = totalsBy(d.usage, 'model');
    const sum = grandTotal(totals);
    tableHost.replaceChildren(
      table(
        `Tokens and cost per model, ${from} to ${to}`,
        [
          { label: 'Model', cell: (t) => t.key },
          { label: 'Input', numeric: true, cell: (t) => formatInteger(t.inputTokens) },
          { label: 'Output', numeric: true, cell: (t) => formatInteger(t.outputTokens) },
          { label: 'Cache read', numeric: true, cell: (t) => formatInteger(t.cacheReadTokens) },
          { label: 'Cache write', numeric: true, cell: (t) => formatInteger(t.cacheCreationTokens) },
          { label: 'Total', numeric: true, cell: (t) => h('span', { 'data-value': t.totalTokens }, formatInteger(t.totalTokens)) },
          { label: 'Cost', numeric: true, cell: (t) => formatUsd(t.costUsd) },
        ],
        totals,
        {
          empty: 'No usage in this range.',
          rowAttrs: (t) => ({ 'data-model': t.key }),
          footer: totals.length > 1 ? ['Total', formatInteger(sum.inputTokens), formatInteger(sum.outputTokens), formatInteger(sum.cacheReadTokens), formatInteger(sum.cacheCreationTokens), formatInteger(sum.totalTokens), formatUsd(sum.costUsd)] : undefined,
        },
      ),
    );
    const b = d.budgetProjection;
    const exhausted = b.spentUsd >= b.budgetUsd;
    setText(
      budgetLine,
      `${formatUsd(b.spentUsd)} spent since ${formatDateTime(b.periodStart, ctx.timeZone)}. ` +
        budgetText(
          { budgetUsd: b.budgetUsd, period: b.period, spentUsd: b.spentUsd, projectedUsd: b.projectedUsd, runsOutAtMs: b.exhaustsAt ? Date.parse(b.exhaustsAt) : null, exhausted },
          ctx.timeZone,
        ),
    );
    budgetLine.classList.toggle('warn', !b.onTrack);
    const r = d.burnRate;
    setText(
      burnLine,
      r
        ? `Active 5-hour block since ${formatDateTime(r.blockStart, ctx.timeZone)}: ${formatUsd(r.costUsdPerHour)} per hour, ${formatCompact(r.tokensPerMinute)} tokens per minute, ${formatUsd(r.costUsd)} so far, about ${formatUsd(r.projectedBlockCostUsd)} by the block's end.`
        : 'No 5-hour block is active right now.',
    );
  }, 250);

  refresh.trigger();
  const offTick = ctx.onTick(() => refresh.trigger());
  return () => {
    offTick();
    painter.cancel();
    chart.destroy();
  };
}
