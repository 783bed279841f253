import { TEAM_HOME_QUERY, type TeamHomeData } from '../api/team.queries';
import { type AppContext, loadOnTicks, queryOrFail } from '../app.context';
import { coalesce } from '../core/coalesce';
import { lastDays } from '../core/dates';
import { formatInteger, formatPercent } from '../core/format';
import { sortTeam, teamTotals, unpricedByUser } from '../core/team.shape';
import { costCell } from '../ui/cost';
import { csvDownloadButton } from '../ui/csv-download';
import { h, RenderMemo, table, type Child } from '../ui/dom';
import { homeBudgets } from './home-budgets.section';

const DAYS = 7;
const TOP = 5;
/** Live ticks re-read the team at most this often. */
const TICK_MS = 1000;

/**
 * The admin home's team panel: the last 7 days' totals, users active today and over the week,
 * the top of the leaderboard by cost, refreshed on every live tick, and the budgets' spend in
 * their current period. Returns its section and its cleanup.
 */
export function teamHomePanel(ctx: AppContext): { el: HTMLElement; close: () => void } {
  const memo = new RenderMemo();
  const cards = h('ul', { class: 'cards', 'aria-label': 'Team totals, last 7 days', 'data-testid': 'home-team-totals' });
  const top = h('div', { 'data-testid': 'home-team-top' });
  const budgets = homeBudgets(ctx);
  const el = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'home-team-h', 'data-testid': 'home-team' },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: 'home-team-h' }, 'Team, last 7 days'),
      // The team export of the same window: every user, where the panel shows the top ones.
      h('div', { class: 'controls' }, csvDownloadButton(ctx.client, 'team', () => ({ ...lastDays(DAYS, ctx.now(), ctx.timeZone), timezone: ctx.timeZone }), ctx.fail, 'Every user of the last 7 days'), h('a', { href: '#/team' }, 'Team page →')),
    ),
    cards,
    top,
    budgets.el,
  );
  const card = (id: string, label: string, value: Child, raw: string | number, hint?: string) =>
    h('li', { class: 'card', 'data-testid': `home-team-${id}` }, h('span', { class: 'card-label' }, label), h('span', { class: 'card-value', 'data-value': String(raw) }, value), hint && h('span', { class: 'card-hint' }, hint));

  const load = coalesce(async () => {
    const { from, to } = lastDays(DAYS, ctx.now(), ctx.timeZone);
    const d = await queryOrFail<TeamHomeData>(ctx, TEAM_HOME_QUERY, { from, to, timezone: ctx.timeZone });
    if (!d) return;
    if (!memo.changed('team', d)) return;
    const t = teamTotals(d.team);
    const unpriced = unpricedByUser(d.unpriced);
    const today = d.activity.find((p) => p.period === to)?.activeUsers ?? 0;
    cards.replaceChildren(
      card('users', 'Active users', formatInteger(d.team.length), d.team.length, `${formatInteger(today)} today`),
      card('sessions', 'Sessions', formatInteger(t.sessions), t.sessions),
      card('cost', 'Cost', costCell(t.costUsd, [...unpriced.values()].reduce((a, n) => a + n, 0)), t.costUsd),
      card('lines', 'Lines added', formatInteger(t.linesAdded), t.linesAdded),
      card('acceptance', 'Acceptance rate', t.acceptanceRate === null ? '–' : formatPercent(t.acceptanceRate), t.acceptanceRate ?? ''),
    );
    top.replaceChildren(
      table(
        'Top users by cost, last 7 days',
        [
          { label: 'User', cell: (r) => r.user },
          { label: 'Sessions', numeric: true, cell: (r) => formatInteger(r.sessions) },
          { label: 'Lines +', numeric: true, cell: (r) => formatInteger(r.linesAdded) },
          { label: 'Cost', numeric: true, cell: (r) => costCell(r.costUsd, unpriced.get(r.user) ?? 0) },
        ],
        sortTeam(d.team, 'costUsd', 'desc').slice(0, TOP),
        { empty: 'Nobody used Claude Code in the last 7 days.', rowAttrs: (r) => ({ 'data-user': r.user, 'data-cost': r.costUsd }) },
      ),
    );
  });
  const stopLoading = loadOnTicks(ctx, () => load.trigger(), TICK_MS);
  return {
    el,
    close: () => {
      stopLoading();
      budgets.close();
    },
  };
}
