import { HOME_STATS_QUERY, MARK_ONBOARDED, type Me, HOME_STATS_SUBSCRIPTION, SESSIONS_QUERY, type HomeStats, type SessionsData, type Window } from '../api/queries';
import type { AppContext } from '../app.context';
import { coalesce } from '../core/coalesce';
import { dayInZone } from '../core/dates';
import { formatRelative } from '../core/format';
import { parseRoute, type Route } from '../core/route';
import { unpricedNote } from '../ui/cost';
import { csvRowsButton } from '../ui/csv-download';
import { h, RenderMemo, setAttr, setText, toggleGroup } from '../ui/dom';
import { recordRoute } from '../ui/url-state';
import { paintCards, RECENT_SESSIONS_CSV, recentSessionsTable, statusCards } from './home.sections';
import { teamHomePanel } from './team-home.panel';

/** The window the URL names (`#/?window=D7`), 24 hours otherwise. */
export function urlWindow(): Window {
  const route = parseRoute(location.hash);
  return route.page === 'home' && route.window === 'D7' ? 'D7' : 'H24';
}

/**
 * Home: the five status cards with the 24h/7d toggle, then the recently active sessions. The cards paint
 * from the boot query's answer (fired before anything else), so a returning user sees numbers
 * at once; a skeleton shows only while nothing is known.
 */
export function homeView(initial: HomeStats | null | undefined, route: Extract<Route, { page: 'home' }>) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => {
    let window: Window = route.window === 'D7' ? 'D7' : 'H24';
    let stats: HomeStats | null | undefined = initial?.window === window || initial === null ? initial : undefined;
    let pending: HomeStats | null | undefined;
    let frame = 0;
    const memo = new RenderMemo();
    const admin = ctx.me.role === 'ADMIN';

    const cards = statusCards();
    const list = h('ul', { class: 'cards', 'aria-label': 'Status' }, Object.values(cards).map((c) => c.root));
    const onboard = h('button', { type: 'button', 'data-testid': 'onboard' }, 'Finish onboarding');
    onboard.addEventListener('click', () => void finishOnboarding());
    const hiddenText = h('span', null);
    const hidden = h('div', { class: 'muted', 'data-testid': 'status-hidden', hidden: true }, h('p', null, hiddenText), onboard);
    const frameSection = h(
      'section',
      { class: 'panel', 'aria-labelledby': 'status-h', 'data-testid': 'status-frame' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'status-h' }, admin ? 'My activity' : 'Your activity'), toggleGroup<Window>('Time window', [{ value: 'H24', label: '24 hours' }, { value: 'D7', label: '7 days' }], window, switchWindow, 'window-toggle')),
      list,
      hidden,
    );
    const recent = h('div', { 'data-testid': 'recent-sessions' });
    let recentRows: SessionsData['sessions']['edges'][number]['node'][] = [];
    const recentDownload = csvRowsButton('recent-sessions', () => `recent-sessions-${dayInZone(ctx.now(), ctx.timeZone)}`, RECENT_SESSIONS_CSV, () => recentRows);
    // An admin's home opens on the team, with their own activity beside it.
    const team = admin ? teamHomePanel(ctx) : undefined;
    root.replaceChildren(team ? h('div', { class: 'home-grid' }, team.el, frameSection) : frameSection, h('section', { class: 'panel', 'aria-labelledby': 'recent-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'recent-h' }, 'Recently active sessions'), h('div', { class: 'controls' }, recentDownload, h('a', { href: '#/sessions' }, 'All sessions →'))), recent));

    function paint(): void {
      frame = 0;
      if (pending !== undefined) {
        stats = pending;
        pending = undefined;
      }
      const known = stats !== undefined;
      list.classList.toggle('skeleton', !known);
      setAttr(list, 'aria-busy', known ? null : 'true');
      list.hidden = stats === null;
      hidden.hidden = stats !== null;
      // null means gated: by onboarding (which the person can finish here) or by the operator.
      setText(hiddenText, ctx.me.onboarded ? 'The status frame is switched off on this server.' : 'Your activity shows here once onboarding is finished.');
      onboard.hidden = ctx.me.onboarded;
      if (!stats) return;
      // For the first-paint figure the browser test prints.
      if (!performance.getEntriesByName('ccpulse:cards').length) performance.mark('ccpulse:cards');
      paintCards(cards, stats, ctx.now(), ctx.timeZone);
      setAttr(frameSection, 'data-window', stats.window);
    }

    /** Live updates land here; several within one frame paint once. */
    function show(next: HomeStats | null): void {
      pending = next;
      if (!frame) frame = requestAnimationFrame(paint);
    }

    let close = (): void => undefined;
    function listen(): void {
      close();
      close = ctx.subscribe<{ homeStatsUpdated: HomeStats | null }>(HOME_STATS_SUBSCRIPTION, { window }, (d) => {
        if (d.homeStatsUpdated === null || d.homeStatsUpdated.window === window) show(d.homeStatsUpdated);
      });
    }

    async function load(): Promise<void> {
      const asked = window;
      try {
        const d = await ctx.client.query<{ homeStats: HomeStats | null }>(HOME_STATS_QUERY, { window: asked });
        if (asked === window) show(d.homeStats);
      } catch (err) {
        ctx.fail(err);
      }
    }

    async function finishOnboarding(): Promise<void> {
      try {
        const d = await ctx.client.query<{ markOnboarded: Me }>(MARK_ONBOARDED);
        ctx.me.onboarded = d.markOnboarded.onboarded;
        await load();
        listen();
      } catch (err) {
        ctx.fail(err);
      }
    }

    function switchWindow(next: Window): void {
      if (next === window) return;
      window = next;
      recordRoute(next === 'D7' ? { page: 'home', window: 'D7' } : { page: 'home' });
      if (stats) {
        stats = undefined;
        paint();
      }
      void load();
      listen();
    }

    const recentLoad = coalesce(async () => {
      try {
        const d = await ctx.client.query<SessionsData>(SESSIONS_QUERY, { first: 5 });
        if (!memo.changed('recent', d)) return;
        const rows = (recentRows = d.sessions.edges.map((e) => e.node));
        recent.replaceChildren(
          recentSessionsTable(rows, ctx.timeZone),
          unpricedNote(rows) ?? '',
        );
      } catch (err) {
        ctx.fail(err);
      }
    });

    paint();
    if (stats === undefined) void load();
    listen();
    recentLoad.trigger();
    const offTick = ctx.onTick(() => recentLoad.trigger());
    // "5 min ago" ages without any update arriving.
    const ageTimer = setInterval(() => stats && setText(cards.lastSync.value, formatRelative(stats.lastSyncAt, ctx.now())), 30_000);
    return () => {
      close();
      team?.close();
      offTick();
      clearInterval(ageTimer);
      if (frame) cancelAnimationFrame(frame);
    };
  };
}
