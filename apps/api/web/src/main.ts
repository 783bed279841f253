import { ApiError, GraphqlClient, isUnauthenticated } from './api/graphql.client';
import { BOOT_QUERY, USAGE_TICK_SUBSCRIPTION, type BootData, type Me, type UsageTick } from './api/queries';
import { store, type AppContext, type View } from './app.context';
import { browserTimeZone, isTimeZone } from './core/dates';
import { parseRoute, withZone, zoneParam, type Route } from './core/route';
import { h, setText } from './ui/dom';
import { budgetBanner } from './ui/budget-banner';
import { LiveIndicator } from './ui/live';
import { budgetsView } from './views/budgets.view';
import { timeZonePicker } from './ui/time-zone-picker';
import { homeView, urlWindow } from './views/home.view';
import { loginView } from './views/login.view';
import { sessionView } from './views/session.view';
import { sessionsView } from './views/sessions.view';
import { teamView } from './views/team.view';
import { toolsView } from './views/tools.view';
import { usageView } from './views/usage.view';

const TOKEN_KEY = 'ccpulse.token';
const ZONE_KEY = 'ccpulse.timeZone';
const BROWSER_ZONE = browserTimeZone();
const client = new GraphqlClient(() => store.get(TOKEN_KEY));

// Fired before any DOM work so the cards can paint from data on first render.
let boot: Promise<BootData> = client.query<BootData>(BOOT_QUERY, { window: urlWindow() });

const live = new LiveIndicator();
// Shown once signed in: before that nothing streams.
live.el.hidden = true;
const main = h('main', { id: 'main', tabindex: -1 });
const banner = h('div', { class: 'banner', role: 'alert', hidden: true, 'data-testid': 'error' });
const who = h('span', { class: 'who', 'data-testid': 'who' });
const zoneHost = h('div', { class: 'tz-host' });
const signOut = h('button', { type: 'button', class: 'link', hidden: true }, 'Sign out');
const NAV: { page: Route['page']; label: string; href: string }[] = [
  { page: 'home', label: 'Home', href: '#/' },
  { page: 'team', label: 'Team', href: '#/team' },
  { page: 'usage', label: 'Usage', href: '#/usage' },
  { page: 'sessions', label: 'Sessions', href: '#/sessions' },
  { page: 'tools', label: 'Tools', href: '#/tools' },
  { page: 'budgets', label: 'Budgets', href: '#/budgets' },
];
const navLinks = NAV.map((n) => h('a', { href: n.href, 'data-page': n.page }, n.label));

signOut.addEventListener('click', () => {
  store.set(TOKEN_KEY, null);
  location.hash = '#/';
  location.reload();
});

document.body.replaceChildren(
  h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
  h('header', { class: 'top' }, h('h1', null, h('a', { href: '#/' }, 'ccpulse')), h('nav', { 'aria-label': 'Main' }, navLinks), h('div', { class: 'top-right' }, zoneHost, live.el, who, signOut)),
  banner,
  main,
);

function fail(err: unknown): void {
  if (isUnauthenticated(err)) {
    showLogin('Your token was not accepted. Paste a valid one.');
    return;
  }
  // Say what to do, not only what failed.
  const text =
    err instanceof ApiError
      ? `${err.message} Check the filters and the date range, or reload the page; if it keeps failing, the API's log says why.`
      : 'The API did not answer. Check that `ccpulse api` is running and reachable, then reload the page.';
  setText(banner, text);
  banner.hidden = false;
}

let tickListeners = new Set<(t: UsageTick) => void>();
let closeTicks: (() => void) | null = null;
let unmount: (() => void) | null = null;
let closeBudgetBanner: (() => void) | null = null;

function showLogin(message: string | null): void {
  unmount?.();
  unmount = null;
  // The next sign-in may be someone else: their banner must not sit beside this one's.
  closeBudgetBanner?.();
  closeBudgetBanner = null;
  closeTicks?.();
  closeTicks = null;
  tickListeners = new Set();
  who.textContent = '';
  signOut.hidden = true;
  // Nothing streams before sign-in: no "Connecting…" that never ends, no zone picker.
  live.el.hidden = true;
  zoneHost.replaceChildren();
  loginView(main, message, (token) => {
    store.set(TOKEN_KEY, token);
    boot = client.query<BootData>(BOOT_QUERY, { window: urlWindow() });
    void start();
  });
}

function context(me: Me): AppContext {
  const subscribe = <T>(query: string, variables: Record<string, unknown>, next: (data: T) => void) =>
    client.subscribe<T>(query, variables, {
      next: (d) => {
        live.event();
        next(d);
      },
      state: live.track(),
      fatal: fail,
    });
  return {
    client,
    me,
    live,
    timeZone: currentZone(),
    now: () => Date.now(),
    fail,
    subscribe,
    onTick(listener) {
      tickListeners.add(listener);
      closeTicks ??= subscribe<{ usageUpdated: UsageTick }>(USAGE_TICK_SUBSCRIPTION, {}, (d) => {
        for (const l of tickListeners) l(d.usageUpdated);
      });
      return () => tickListeners.delete(listener);
    },
  };
}

/** The zone of the URL, else the last one chosen here, else the browser's. */
function currentZone(): string {
  const named = zoneParam(location.hash) ?? store.get(ZONE_KEY) ?? BROWSER_ZONE;
  return isTimeZone(named) ? named : BROWSER_ZONE;
}

function chooseZone(zone: string): void {
  store.set(ZONE_KEY, zone === BROWSER_ZONE ? null : zone);
  location.hash = withZone(location.hash, zone === BROWSER_ZONE ? undefined : zone);
}

function viewFor(route: Route, initial: BootData['homeStats'] | undefined): View {
  switch (route.page) {
    case 'home':
      return homeView(initial, route);
    case 'usage':
      return usageView(route);
    case 'sessions':
      return sessionsView(route.filter);
    case 'session':
      return sessionView(route.id);
    case 'tools':
      return toolsView(route.range);
    case 'budgets':
      return budgetsView();
    case 'team':
      return teamView(route.params);
  }
}

async function start(): Promise<void> {
  let data: BootData;
  try {
    data = await boot;
  } catch (err) {
    if (isUnauthenticated(err)) {
      showLogin(store.get(TOKEN_KEY) ? 'Your token was not accepted. Paste a valid one.' : null);
      return;
    }
    fail(err);
    return;
  }
  const ctx = context(data.me);
  const budgetAlerts = budgetBanner(ctx);
  banner.after(budgetAlerts.el);
  closeBudgetBanner = () => {
    budgetAlerts.close();
    budgetAlerts.el.remove();
  };
  setText(who, `${data.me.name}${data.me.role === 'ADMIN' ? ' (admin)' : ''}`);
  signOut.hidden = !store.get(TOKEN_KEY);
  document.body.dataset.ready = 'true';
  let initial: BootData['homeStats'] | undefined = data.homeStats;

  live.el.hidden = false;
  const navigate = () => {
    const route = parseRoute(location.hash);
    // Every view reads the zone from the context; a chosen zone stays in the URL so it is shared.
    ctx.timeZone = currentZone();
    if (ctx.timeZone !== BROWSER_ZONE && zoneParam(location.hash) !== ctx.timeZone) history.replaceState(null, '', withZone(location.hash, ctx.timeZone));
    zoneHost.replaceChildren(timeZonePicker(ctx.timeZone, BROWSER_ZONE, chooseZone));
    unmount?.();
    banner.hidden = true;
    for (const a of navLinks) {
      const current = a.dataset.page === route.page || (a.dataset.page === 'sessions' && route.page === 'session');
      if (current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `ccpulse · ${NAV.find((n) => n.page === route.page)?.label ?? 'Session'}`;
    unmount = viewFor(route, initial)(ctx, main);
    // Only the first home render may use the boot answer; later ones query afresh.
    initial = undefined;
  };
  window.onhashchange = () => {
    navigate();
    main.focus({ preventScroll: true });
  };
  navigate();
}

void start();
