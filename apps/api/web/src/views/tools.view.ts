import { TOOLS_QUERY, type ToolsData } from '../api/queries';
import { type AppContext, queryOrFail } from '../app.context';
import { coalesce } from '../core/coalesce';
import { rangeDays } from '../core/dates';
import type { DayRange } from '../core/route';
import { formatDay, formatInteger, formatMillis, formatPercent } from '../core/format';
import { pluginTotals, toolTotals, type PluginTotal } from '../core/tools.shape';
import { bucketFor, bucketsBetween, stackRows, weekOf } from '../core/usage.shape';
import { StackedBars } from '../ui/chart';
import { csvDownloadButton, csvRowsButton, type CsvColumns } from '../ui/csv-download';
import { h, RenderMemo, table } from '../ui/dom';
import { pathLabel } from '../ui/path';
import { rangeControl } from '../ui/range-control';
import { goTo } from '../ui/url-state';

/**
 * Tools & plugins: daily tool calls, per-tool error rates and durations, skill/agent/command use,
 * over the range in the URL (`#/tools?days=90`, or `from=…&to=…`; the last 30 days by default).
 */
export function toolsView(custom: DayRange) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => mountTools(ctx, root, custom);
}

/** The invocations table as CSV (no server export serves these rows). */
const PLUGIN_CSV: CsvColumns<PluginTotal> = [
  ['kind', (p) => p.kind],
  ['name', (p) => p.name],
  ['source', (p) => p.source],
  ['refId', (p) => p.refId],
  ['invocations', (p) => p.invocations],
];

function mountTools(ctx: AppContext, root: HTMLElement, custom: DayRange): () => void {
  const memo = new RenderMemo();
  // Tool days are UTC days (the API's toolDaily/pluginDaily contract), whatever zone is picked.
  const zone = 'UTC';
  const span = (): { from: string; to: string } => rangeDays(custom, 30, ctx.now(), zone);
  /** The invocations on screen and their range, for the CSV button. */
  let plugins: { rows: PluginTotal[]; from: string; to: string } = { rows: [], ...span() };
  const range = rangeControl({ id: 'tools', range: custom, defaultDays: 30, span: span(), go: (r) => goTo({ page: 'tools', range: r }), note: 'Days are UTC days.' });
  const chartHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Tool calls per day' });
  const chart = new StackedBars(chartHost, (n) => formatInteger(Math.round(n)), 220);
  const toolsHost = h('div', { 'data-testid': 'tools-table' });
  const pluginsHost = h('div', { 'data-testid': 'plugins-table' });

  root.replaceChildren(
    h('section', { class: 'panel', 'aria-labelledby': 'tools-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'tools-h' }, 'Tool calls over time')), range, chartHost),
    h('section', { class: 'panel', 'aria-labelledby': 'tt-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'tt-h' }, 'Tools'), csvDownloadButton(ctx.client, 'tools', () => ({ ...span(), timezone: zone }), ctx.fail)), toolsHost),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'pl-h' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'pl-h' }, 'Skills, agents and commands'), csvRowsButton('plugins', () => `plugins-${plugins.from}-${plugins.to}`, PLUGIN_CSV, () => plugins.rows)),
      pluginsHost,
    ),
  );
  const refresh = coalesce(async () => {
    const { from, to } = span();
    const d = await queryOrFail<ToolsData>(ctx, TOOLS_QUERY, { from, to });
    if (!d) return;
    if (!memo.changed('view', [d, from, to])) return;
    const time = bucketFor(from, to);
    const bucket = (day: string) => (time === 'day' ? day : time === 'week' ? weekOf(day) : day.slice(0, 7));
    chart.update(stackRows(d.toolDaily, { bucket: (r) => bucket(r.day), label: (r) => r.tool, value: (r) => r.calls, buckets: bucketsBetween(from, to, time), maxSeries: 8 }));
    chartHost.setAttribute('aria-label', `Tool calls per ${time} from ${formatDay(from)} to ${formatDay(to)}`);
    toolsHost.replaceChildren(
      table(
        `Tool calls ${formatDay(from)} to ${formatDay(to)}`,
        [
          { label: 'Tool', cell: (t) => pathLabel(t.tool, 40) },
          { label: 'Calls', numeric: true, cell: (t) => formatInteger(t.calls) },
          { label: 'Errors', numeric: true, cell: (t) => formatInteger(t.errors) },
          { label: 'Error rate', numeric: true, cell: (t) => h('span', { class: t.errors ? 'warn' : null }, formatPercent(t.errorRate)) },
          { label: 'Avg duration', numeric: true, cell: (t) => formatMillis(t.avgDurationMs) },
        ],
        toolTotals(d.toolDaily),
        { empty: 'No tool calls in this range. Pick a longer range above.', rowAttrs: (t) => ({ 'data-tool': t.tool, 'data-calls': t.calls, 'data-errors': t.errors }) },
      ),
    );
    plugins = { rows: pluginTotals(d.pluginDaily), from, to };
    pluginsHost.replaceChildren(
      table(
        `Invocations ${formatDay(from)} to ${formatDay(to)}`,
        [
          { label: 'Name', cell: (p) => p.name },
          { label: 'Kind', cell: (p) => p.kind },
          { label: 'Source', cell: (p) => h('span', { class: `badge badge-${p.source}`, title: p.refId ?? '' }, p.source) },
          { label: 'Invocations', numeric: true, cell: (p) => formatInteger(p.invocations) },
        ],
        plugins.rows,
        { empty: 'No skills, agents or commands in this range. Pick a longer range above.', rowAttrs: (p) => ({ 'data-plugin': `${p.kind}:${p.name}`, 'data-invocations': p.invocations }) },
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
