import { TOOLS_QUERY, type ToolsData } from '../api/queries';
import type { AppContext } from '../app.context';
import { coalesce } from '../core/coalesce';
import { addDays, dayInZone, lastDays } from '../core/dates';
import { routeHash, type DayRange } from '../core/route';
import { formatInteger, formatMillis, formatPercent } from '../core/format';
import { pluginTotals, toolTotals } from '../core/tools.shape';
import { bucketFor, bucketsBetween, stackRows, weekOf } from '../core/usage.shape';
import { StackedBars } from '../ui/chart';
import { csvDownloadButton } from '../ui/csv-download';
import { h, RenderMemo, table, toggleGroup } from '../ui/dom';

type Range = '7' | '30';

/**
 * Tools & plugins: daily tool calls, per-tool error rates and durations, skill/agent/command use,
 * over the last 7 or 30 days or the days named in the hash (`#/tools?from=…&to=…`).
 */
export function toolsView(custom: DayRange) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => mountTools(ctx, root, custom);
}

function mountTools(ctx: AppContext, root: HTMLElement, custom: DayRange): () => void {
  let range: Range = '7';
  const memo = new RenderMemo();
  // Tool days are UTC days (the API's toolDaily/pluginDaily contract).
  const zone = 'UTC';
  const span = (): { from: string; to: string } => {
    if (!custom.from && !custom.to) return lastDays(Number(range), ctx.now(), zone);
    const to = custom.to ?? dayInZone(ctx.now(), zone);
    return { from: custom.from ?? addDays(to, -29), to };
  };
  const fromInput = h('input', { id: 'tools-from', name: 'from', type: 'date', value: span().from });
  const toInput = h('input', { id: 'tools-to', name: 'to', type: 'date', value: span().to });
  const rangeForm = h('form', { class: 'controls', 'aria-label': 'Date range' }, h('label', { for: 'tools-from' }, 'From'), fromInput, h('label', { for: 'tools-to' }, 'To'), toInput, h('button', { type: 'submit' }, 'Show'));
  rangeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = routeHash({ page: 'tools', range: { from: fromInput.value || undefined, to: toInput.value || undefined } });
  });
  const chartHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Tool calls per day' });
  const chart = new StackedBars(chartHost, (n) => formatInteger(Math.round(n)), 220);
  const toolsHost = h('div', { 'data-testid': 'tools-table' });
  const pluginsHost = h('div', { 'data-testid': 'plugins-table' });

  root.replaceChildren(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'tools-h' },
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { id: 'tools-h' }, 'Tool calls over time'),
        toggleGroup<Range>('Range', [{ value: '7', label: '7 days' }, { value: '30', label: '30 days' }], custom.from || custom.to ? ('' as Range) : range, (v) => {
          range = v;
          custom = {};
          const s = span();
          fromInput.value = s.from;
          toInput.value = s.to;
          refresh.trigger();
        }),
      ),
      rangeForm,
      chartHost,
    ),
    h('section', { class: 'panel', 'aria-labelledby': 'tt-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'tt-h' }, 'Tools'), csvDownloadButton(ctx.client, 'tools', () => ({ ...span(), timezone: zone }), ctx.fail)), toolsHost),
    h('section', { class: 'panel', 'aria-labelledby': 'pl-h' }, h('h2', { id: 'pl-h' }, 'Skills, agents and commands'), pluginsHost),
  );

  const refresh = coalesce(async () => {
    const { from, to } = span();
    let d: ToolsData;
    try {
      d = await ctx.client.query<ToolsData>(TOOLS_QUERY, { from, to });
    } catch (err) {
      ctx.fail(err);
      return;
    }
    if (!memo.changed('view', [d, from, to])) return;
    const time = bucketFor(from, to);
    const bucket = (day: string) => (time === 'day' ? day : time === 'week' ? weekOf(day) : day.slice(0, 7));
    chart.update(stackRows(d.toolDaily, { bucket: (r) => bucket(r.day), label: (r) => r.tool, value: (r) => r.calls, buckets: bucketsBetween(from, to, time), maxSeries: 8 }));
    chartHost.setAttribute('aria-label', `Tool calls per ${time} from ${from} to ${to}`);
    toolsHost.replaceChildren(
      table(
        `Tool calls ${from} to ${to}`,
        [
          { label: 'Tool', cell: (t) => h('span', { class: 'path', title: t.tool }, t.tool) },
          { label: 'Calls', numeric: true, cell: (t) => formatInteger(t.calls) },
          { label: 'Errors', numeric: true, cell: (t) => formatInteger(t.errors) },
          { label: 'Error rate', numeric: true, cell: (t) => h('span', { class: t.errors ? 'warn' : null }, formatPercent(t.errorRate)) },
          { label: 'Avg duration', numeric: true, cell: (t) => formatMillis(t.avgDurationMs) },
        ],
        toolTotals(d.toolDaily),
        { empty: 'No tool calls in this range.', rowAttrs: (t) => ({ 'data-tool': t.tool, 'data-calls': t.calls, 'data-errors': t.errors }) },
      ),
    );
    pluginsHost.replaceChildren(
      table(
        `Invocations ${from} to ${to}`,
        [
          { label: 'Name', cell: (p) => p.name },
          { label: 'Kind', cell: (p) => p.kind },
          { label: 'Source', cell: (p) => h('span', { class: `badge badge-${p.source}`, title: p.refId ?? '' }, p.source) },
          { label: 'Invocations', numeric: true, cell: (p) => formatInteger(p.invocations) },
        ],
        pluginTotals(d.pluginDaily),
        { empty: 'No skills, agents or commands in this range.', rowAttrs: (p) => ({ 'data-plugin': `${p.kind}:${p.name}`, 'data-invocations': p.invocations }) },
      ),
    );
  });

  refresh.trigger();
  const offTick = ctx.onTick(() => refresh.trigger());
  return () => {
    offTick();
    chart.destroy();
  };
}
