import { SESSIONS_QUERY, type SessionsData, type SessionSummary } from '../api/queries';
import type { AppContext } from '../app.context';
import { coalesce } from '../core/coalesce';
import { formatCompact, formatDateTime, formatDuration, formatUsd } from '../core/format';
import { routeHash, type SessionFilterParams } from '../core/route';
import { addDays, dayInZone } from '../core/dates';
import { csvDownloadButton } from '../ui/csv-download';
import { h, RenderMemo, table } from '../ui/dom';

const PAGE = 50;

/** Sessions: filters (user for admins, project, model, date range) and a paged newest-first list. */
export function sessionsView(filter: SessionFilterParams) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => {
    const admin = ctx.me.role === 'ADMIN';
    let rows: SessionSummary[] = [];
    let endCursor: string | null = null;
    let hasNext = false;
    const memo = new RenderMemo();

    const field = (name: keyof SessionFilterParams, label: string, type = 'text') =>
      h('div', { class: 'field' }, h('label', { for: `f-${name}` }, label), h('input', { id: `f-${name}`, name, type, value: filter[name] ?? '', autocomplete: 'off' }));
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Filter sessions' },
      admin && field('user', 'User'),
      field('project', 'Project'),
      field('model', 'Model'),
      field('from', 'From', 'date'),
      field('to', 'To', 'date'),
      h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Apply'), h('a', { href: '#/sessions', class: 'button-link' }, 'Clear')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const next: SessionFilterParams = {};
      for (const key of ['user', 'project', 'model', 'from', 'to'] as const) {
        const v = String(data.get(key) ?? '').trim();
        if (v) next[key] = v;
      }
      location.hash = routeHash({ page: 'sessions', filter: next });
    });

    const listHost = h('div', { 'data-testid': 'sessions-table' });
    const more = h('button', { type: 'button', hidden: true }, 'Load more');
    more.addEventListener('click', () => void page(true));
    // The export takes days: the filter's (UTC) days, else the last ten years up to today.
    const exportRange = () => {
      const today = dayInZone(ctx.now(), 'UTC');
      const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined);
      return { from: day(filter.from) ?? addDays(today, -3649), to: day(filter.to) ?? today, timezone: 'UTC', users: filter.user, projects: filter.project, models: filter.model };
    };
    const download = csvDownloadButton(ctx.client, 'sessions', exportRange, ctx.fail);
    root.replaceChildren(h('section', { class: 'panel', 'aria-labelledby': 'sessions-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'sessions-h' }, 'Sessions'), download), form, listHost, more));

    function render(): void {
      if (!memo.changed('rows', [rows, hasNext])) return;
      listHost.replaceChildren(
        table(
          'Sessions, newest first',
          [
            { label: 'Started', cell: (s) => h('a', { href: routeHash({ page: 'session', id: s.id }), 'data-session': s.id }, formatDateTime(s.startedAt, ctx.timeZone)) },
            ...(admin ? [{ label: 'User', cell: (s: SessionSummary) => s.user }] : []),
            { label: 'Project', cell: (s) => h('span', { class: 'path', title: s.project ?? '' }, s.project ?? '–') },
            { label: 'Model', cell: (s) => s.primaryModel ?? '–' },
            { label: 'Prompts', numeric: true, cell: (s) => String(s.prompts) },
            { label: 'Active', numeric: true, cell: (s) => formatDuration(s.activeSeconds) },
            { label: 'Tokens', numeric: true, cell: (s) => h('span', { 'data-value': String(s.totalTokens) }, formatCompact(s.totalTokens)) },
            { label: 'Cost', numeric: true, cell: (s) => formatUsd(s.costUsd) },
          ],
          rows,
          { empty: 'No sessions match.', rowAttrs: (s) => ({ 'data-id': s.id }) },
        ),
      );
      more.hidden = !hasNext;
    }

    async function page(append: boolean): Promise<void> {
      // A live refresh re-reads as many rows as are shown, so paging is kept.
      const first = append ? PAGE : Math.max(PAGE, Math.min(200, rows.length));
      try {
        const d = await ctx.client.query<SessionsData>(SESSIONS_QUERY, { first, after: append ? endCursor : null, filter });
        const nodes = d.sessions.edges.map((e) => e.node);
        rows = append ? [...rows, ...nodes] : nodes;
        endCursor = d.sessions.pageInfo.endCursor;
        hasNext = d.sessions.pageInfo.hasNextPage;
        render();
      } catch (err) {
        ctx.fail(err);
      }
    }

    const refresh = coalesce(() => page(false));
    refresh.trigger();
    const offTick = ctx.onTick(() => refresh.trigger());
    return offTick;
  };
}
