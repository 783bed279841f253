import { TOOLS_QUERY, type ToolsData } from '../api/queries';
import type { AppContext } from '../app.context';
import { coalesce } from '../core/coalesce';
import { lastDays } from '../core/dates';
import { formatInteger, formatMillis, formatPercent } from '../core/format';
import { pluginTotals, toolTotals } from '../core/tools.shape';
import { daysBetween, stackRows } from '../core/usage.shape';
import { StackedBars } from '../ui/chart';
import { h, RenderMemo, table, toggleGroup } from '../ui/dom';

type Range = '7' | '30';

/** Tools & plugins: daily tool calls, per-tool error rates and durations, skill/agent/command use. */
export function toolsView(ctx: AppContext, root: HTMLElement): () => void {
  let range: Range = '7';
  const memo = new RenderMemo();
  // Tool days are UTC days (the API's toolDaily/pluginDaily contract).
  const zone = 'UTC';
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
        h('h2', { id: 'tools-h' }, 'Tool calls per day'),
        toggleGroup<Range>('Range', [{ value: '7', label: '7 days' }, { value: '30', label: '30 days' }], range, (v) => {
          range = v;
          refresh.trigger();
        }),
      ),
      chartHost,
    ),
    h('div', { class: 'two' }, h('section', { class: 'panel', 'aria-labelledby': 'tt-h' }, h('h2', { id: 'tt-h' }, 'Tools'), toolsHost), h('section', { class: 'panel', 'aria-labelledby': 'pl-h' }, h('h2', { id: 'pl-h' }, 'Skills, agents and commands'), pluginsHost)),
  );

  const refresh = coalesce(async () => {
    const { from, to } = lastDays(Number(range), ctx.now(), zone);
    let d: ToolsData;
    try {
      d = await ctx.client.query<ToolsData>(TOOLS_QUERY, { from, to });
    } catch (err) {
      ctx.fail(err);
      return;
    }
    if (!memo.changed('view', [d, from, to])) return;
    chart.update(stackRows(d.toolDaily, { bucket: (r) => r.day, label: (r) => r.tool, value: (r) => r.calls, buckets: daysBetween(from, to), maxSeries: 8 }));
    toolsHost.replaceChildren(
      table(
        `Tool calls ${from} to ${to}`,
        [
          { label: 'Tool', cell: (t) => t.tool },
          { label: 'Calls', numeric: true, cell: (t) => formatInteger(t.calls) },
          { label: 'Errors', numeric: true, cell: (t) => formatInteger(t.errors) },
          { label: 'Error rate', numeric: true, cell: (t) => h('span', { class: t.errors ? 'warn' : null }, formatPercent(t.errorRate)) },
          { label: 'Avg duration', numeric: true, cell: (t) => formatMillis(t.avgDurationMs) },
        ],
        toolTotals(d.toolDaily),
        { empty: 'No tool calls in this range.' },
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
        { empty: 'No skills, agents or commands in this range.' },
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
