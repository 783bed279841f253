import { SESSIONS_QUERY, type SessionsData, type SessionSummary } from '../api/queries';
import type { AppContext } from '../app.context';
import { coalesce } from '../core/coalesce';
import { formatCompact, formatDateTime, formatDuration } from '../core/format';
import { RANGE_DAYS, routeHash, type SessionFilterParams } from '../core/route';
import { apiFilter } from '../core/session-filter';
import { costCell, unpricedNote } from '../ui/cost';
import { h, RenderMemo, table, toggleGroup } from '../ui/dom';
import { pathLabel } from '../ui/path';
import { goTo } from '../ui/url-state';
import { addDays, dayInZone, lastDays } from '../core/dates';
import { csvDownloadButton } from '../ui/csv-download';

const PAGE = 50;

/**
 * Sessions: filters (user for admins, project, model, a preset range or From/To) in the URL, and a
 * paged list, most recently active first (a session resumed today is at the top).
 */
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
      // Explicit days replace a preset; without them the preset stays.
      if (!next.from && !next.to && filter.days) next.days = filter.days;
      goTo({ page: 'sessions', filter: next });
    });
    const custom = Boolean(filter.from || filter.to);
    const presets = toggleGroup<string>(
      'Started within',
      [{ value: 'all', label: 'All time' }, ...RANGE_DAYS.map((d) => ({ value: String(d), label: `${d} days` }))],
      custom ? '' : filter.days ?? 'all',
      (v) => {
        const { from: _f, to: _t, days: _d, ...rest } = filter;
        goTo({ page: 'sessions', filter: v === 'all' ? rest : { ...rest, days: v } });
      },
      'sessions-range',
    );

    const listHost = h('div', { 'data-testid': 'sessions-table' });
    const more = h('button', { type: 'button', hidden: true }, 'Load more');
    more.addEventListener('click', () => void page(true));
    // The export takes days in the picked zone: the filter's, else its preset, else the last ten years.
    const exportRange = () => {
      const today = dayInZone(ctx.now(), ctx.timeZone);
      const days = Number(filter.days);
      const from = filter.from ?? (days > 0 ? lastDays(days, ctx.now(), ctx.timeZone).from : addDays(today, -3649));
      return { from, to: filter.to ?? today, timezone: ctx.timeZone, users: filter.user, projects: filter.project, models: filter.model };
    };
    const download = csvDownloadButton(ctx.client, 'sessions', exportRange, ctx.fail);
    root.replaceChildren(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'sessions-h' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'sessions-h' }, 'Sessions'), presets, download),
        form,
        h('p', { class: 'muted help' }, `Most recently active first. Dates in ${ctx.timeZone}; From/To filter by the day a session started. Active = time with activity, pauses over 10 minutes not counted.`),
        listHost,
        more,
      ),
    );

    function render(): void {
      if (!memo.changed('rows', [rows, hasNext])) return;
      const filtered = Object.keys(filter).length > 0;
      listHost.replaceChildren(
        table(
          'Sessions, most recently active first',
          [
            { label: 'Last active', cell: (s) => h('a', { href: routeHash({ page: 'session', id: s.id }), 'data-session': s.id }, formatDateTime(s.endedAt, ctx.timeZone)) },
            { label: 'Started', cell: (s) => formatDateTime(s.startedAt, ctx.timeZone) },
            ...(admin ? [{ label: 'User', cell: (s: SessionSummary) => s.user }] : []),
            { label: 'Project', cell: (s) => pathLabel(s.project) },
            { label: 'Model', cell: (s) => s.primaryModel ?? '–' },
            { label: 'Prompts', numeric: true, cell: (s) => String(s.prompts) },
            { label: 'Active', numeric: true, cell: (s) => formatDuration(s.activeSeconds) },
            { label: 'Tokens', numeric: true, cell: (s) => h('span', { 'data-value': String(s.totalTokens) }, formatCompact(s.totalTokens)) },
            { label: 'Cost', numeric: true, cell: (s) => costCell(s.costUsd, s.unpricedTokens) },
          ],
          rows,
          {
            empty: filtered ? 'No sessions match these filters. Widen the range or press Clear.' : 'No sessions yet. Run `ccpulse ingest` on a machine with Claude Code transcripts.',
            rowAttrs: (s) => ({ 'data-id': s.id }),
          },
        ),
        unpricedNote(rows) ?? '',
      );
      more.hidden = !hasNext;
    }

    async function page(append: boolean): Promise<void> {
      // A live refresh re-reads as many rows as are shown, so paging is kept.
      const first = append ? PAGE : Math.max(PAGE, Math.min(200, rows.length));
      try {
        const d = await ctx.client.query<SessionsData>(SESSIONS_QUERY, { first, after: append ? endCursor : null, filter: apiFilter(filter, ctx.now(), ctx.timeZone) });
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
