import { TEAM_PAGE_QUERY, type TeamPageData, type TeamRow } from '../api/team.queries';
import { type AppContext, loadOnTicks, queryOrFail } from '../app.context';
import { coalesce } from '../core/coalesce';
import { rangeDays } from '../core/dates';
import { formatDay, formatInteger, formatUsd } from '../core/format';
import type { TeamParams } from '../core/route';
import { teamTotals, unpricedByUser } from '../core/team.shape';
import { bucketsBetween, stackRows } from '../core/usage.shape';
import { StackedBars } from '../ui/chart';
import { csvDownloadButton } from '../ui/csv-download';
import { h, RenderMemo, setAttr, toggleGroup } from '../ui/dom';
import { shortenMiddle } from '../ui/path';
import { rangeControl } from '../ui/range-control';
import { goTo, recordRoute } from '../ui/url-state';
import { decisionsTable, leaderboard, totalCards, type TeamSort } from './team.sections';

type Grain = 'DAY' | 'WEEK';

/** Characters a project or model keeps in a filter's option; the full name is its title. */
const OPTION_CHARS = 36;

/**
 * The Team page: who uses Claude Code, how much and what it produced — the leaderboard (sortable
 * by any column), totals and acceptance rate, cost by user over time and active users per day or
 * week. Range, project, model and grain live in the URL (`#/team?days=90&project=…&per=week`),
 * days are cut in the picked time zone; every part refreshes on live ticks.
 */
export function teamView(params: TeamParams) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => mountTeam(ctx, root, params);
}

function mountTeam(ctx: AppContext, root: HTMLElement, params: TeamParams): () => void {
  let grain: Grain = params.per === 'week' ? 'WEEK' : 'DAY';
  let sort: TeamSort = { key: 'costUsd', dir: 'desc' };
  let last: TeamPageData | undefined;
  const memo = new RenderMemo();
  const zone = ctx.timeZone;
  const span = (): { from: string; to: string } => rangeDays(params.range, 30, ctx.now(), zone);
  const variables = () => ({ ...span(), timezone: zone, projects: params.project ? [params.project] : null, models: params.model ? [params.model] : null });
  const go = (next: Partial<TeamParams>) => goTo({ page: 'team', params: { ...params, ...next } });

  const range = rangeControl({ id: 'team', range: params.range, defaultDays: 30, span: span(), go: (r) => go({ range: r }) });
  const projectSelect = h('select', { id: 'team-project', name: 'project', 'data-testid': 'team-project' }, h('option', { value: '' }, 'All projects'));
  const modelSelect = h('select', { id: 'team-model', name: 'model', 'data-testid': 'team-model' }, h('option', { value: '' }, 'All models'));
  projectSelect.addEventListener('change', () => go({ project: projectSelect.value || undefined }));
  modelSelect.addEventListener('change', () => go({ model: modelSelect.value || undefined }));
  const filters = h(
    'div',
    { class: 'controls team-filters', role: 'group', 'aria-label': 'Filters', 'data-testid': 'team-filters' },
    h('label', { for: 'team-project' }, 'Project'), projectSelect,
    h('label', { for: 'team-model' }, 'Model'), modelSelect,
  );

  const totals = h('ul', { class: 'cards', 'aria-label': 'Team totals', 'data-testid': 'team-totals' });
  const board = h('div', { 'data-testid': 'team-table' });
  const costHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Cost by user over time' });
  const costChart = new StackedBars(costHost, (n) => formatUsd(n), 220);
  const activeHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Active users' });
  const activeChart = new StackedBars(activeHost, (n) => formatInteger(Math.round(n)), 180);
  const decisionsHost = h('div', { 'data-testid': 'team-decisions' });
  const toolsDownload = csvDownloadButton(ctx.client, 'tools', () => ({ ...span(), timezone: 'UTC' }), ctx.fail);
  const download = csvDownloadButton(ctx.client, 'team', () => ({ ...span(), timezone: zone, projects: params.project, models: params.model }), ctx.fail);

  root.replaceChildren(
    h('section', { class: 'panel', 'aria-labelledby': 'team-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'team-h' }, 'Team')), range, filters, totals),
    h('section', { class: 'panel', 'aria-labelledby': 'board-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'board-h' }, 'Leaderboard'), download), board),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'tdec-h' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'tdec-h' }, 'Decisions per tool (UTC days, all projects and models)'), toolsDownload),
      decisionsHost,
    ),
    h('section', { class: 'panel', 'aria-labelledby': 'tcost-h' }, h('h2', { id: 'tcost-h' }, 'Cost by user over time'), costHost),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'tactive-h' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'tactive-h' }, 'Active users'), toggleGroup<Grain>('Per', [{ value: 'DAY', label: 'Per day' }, { value: 'WEEK', label: 'Per week' }], grain, (v) => {
        grain = v;
        params = { ...params, per: v === 'WEEK' ? 'week' : undefined };
        recordRoute({ page: 'team', params });
        if (last) paintActive(last);
      }, 'active-grain')),
      activeHost,
    ),
  );

  function paintBoard(rows: TeamRow[], unpriced: Map<string, number>): void {
    const { from, to } = span();
    board.replaceChildren(
      ...leaderboard(rows, unpriced, sort, `Leaderboard ${formatDay(from)} to ${formatDay(to)}`, (next) => {
        sort = next;
        paintBoard(rows, unpriced);
      }),
    );
  }

  function paintActive(d: TeamPageData): void {
    const { from, to } = span();
    const points = grain === 'DAY' ? d.daily : d.weekly;
    activeChart.update(stackRows(points, { bucket: (p) => p.period, label: () => 'active users', value: (p) => p.activeUsers, buckets: bucketsBetween(from, to, grain === 'DAY' ? 'day' : 'week') }));
    activeHost.setAttribute('data-points', JSON.stringify(points.map((p) => [p.period, p.activeUsers])));
    activeHost.setAttribute('aria-label', `Active users per ${grain === 'DAY' ? 'day' : 'week'} from ${formatDay(from)} to ${formatDay(to)} (days in ${zone})`);
  }

  const refresh = coalesce(async () => {
    const d = await queryOrFail<TeamPageData>(ctx, TEAM_PAGE_QUERY, variables());
    if (!d) return;
    last = d;
    if (memo.changed('options', d.options)) {
      fillSelect(projectSelect, 'All projects', d.options.map((o) => o.project).filter((p): p is string => !!p), params.project);
      fillSelect(modelSelect, 'All models', d.options.map((o) => o.model), params.model);
    }
    if (!memo.changed('view', [d.team, d.daily, d.weekly, d.costs, d.toolDaily, span()])) return;
    const t = teamTotals(d.team);
    const unpriced = unpricedByUser(d.costs, params.model);
    const unpricedTotal = [...unpriced.values()].reduce((a, n) => a + n, 0);
    const activeUsers = d.team.length;
    totals.replaceChildren(...totalCards(t, activeUsers, unpricedTotal));
    paintBoard(d.team, unpriced);
    const { from, to } = span();
    decisionsHost.replaceChildren(decisionsTable(d.toolDaily, from, to));
    const costs = params.model ? d.costs.filter((c) => c.model === params.model) : d.costs;
    costChart.update(stackRows(costs, { bucket: (c) => c.day, label: (c) => c.user, value: (c) => c.costUsd, buckets: bucketsBetween(from, to, 'day'), maxSeries: 8 }));
    costHost.setAttribute('aria-label', `Cost by user per day from ${formatDay(from)} to ${formatDay(to)} (days in ${zone})`);
    paintActive(d);
    setAttr(root, 'data-loaded', 'true');
  });

  // Whole-team aggregates: re-read at most once a second however fast commits arrive.
  const stopLoading = loadOnTicks(ctx, () => refresh.trigger(), 1000);
  return () => {
    stopLoading();
    costChart.destroy();
    activeChart.destroy();
  };
}

function fillSelect(select: HTMLSelectElement, all: string, values: string[], current: string | undefined): void {
  const unique = [...new Set(values)].sort();
  if (current && !unique.includes(current)) unique.unshift(current);
  // Long project paths are shortened in the middle (the select would otherwise widen the page).
  select.replaceChildren(h('option', { value: '' }, all), ...unique.map((v) => h('option', { value: v, title: v, selected: v === current }, shortenMiddle(v, OPTION_CHARS))));
}
