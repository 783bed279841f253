/** The pages of the dashboard, addressed by the URL hash so the server needs one index.html. */
export type Route =
  | { page: 'home'; window?: HomeWindowParam }
  | { page: 'usage'; range: DayRange; metric?: 'cost'; by?: 'user' | 'project' }
  | { page: 'sessions'; filter: SessionFilterParams }
  | { page: 'session'; id: string }
  | { page: 'tools'; range: DayRange }
  | { page: 'budgets' }
  | { page: 'team'; params: TeamParams };

/**
 * The Team page's range, filters and active-users grain (`#/team?days=90&project=…&model=…&per=week`,
 * or `from=…&to=…` in place of `days`).
 */
export interface TeamParams {
  range: DayRange;
  project?: string;
  model?: string;
  per?: 'week';
}

/** The home page's status window; 24 hours when absent. */
export type HomeWindowParam = 'D7';

/** The preset ranges every page with a date range offers. */
export const RANGE_DAYS = [7, 30, 90] as const;
export type RangeDays = (typeof RANGE_DAYS)[number];

/**
 * A day range (`#/usage?days=90` or `#/usage?from=2026-01-01&to=2026-01-31`): explicit days win
 * over a preset; empty means the page's default preset.
 */
export interface DayRange {
  from?: string;
  to?: string;
  days?: RangeDays;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day (`2026-02-30` is not one). */
function isDay(v: string): boolean {
  const t = Date.parse(`${v}T00:00:00Z`);
  return DAY.test(v) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}

/** List filters as they appear in the hash query (`#/sessions?user=ann&from=2026-11-01`). */
export interface SessionFilterParams {
  user?: string;
  project?: string;
  model?: string;
  from?: string;
  to?: string;
  days?: string;
}

const FILTER_KEYS: (keyof SessionFilterParams)[] = ['user', 'project', 'model', 'days', 'from', 'to'];

function rangeOf(params: URLSearchParams): DayRange {
  const range: DayRange = {};
  const days = Number(params.get('days'));
  if ((RANGE_DAYS as readonly number[]).includes(days)) range.days = days as RangeDays;
  for (const key of ['from', 'to'] as const) {
    const v = params.get(key)?.trim();
    if (v && isDay(v)) range[key] = v;
  }
  return range;
}

function rangeQuery(range: DayRange, params = new URLSearchParams()): URLSearchParams {
  if (range.days) params.set('days', String(range.days));
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  return params;
}

/** `#/sessions/abc?x` → a route; anything unknown is home. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'usage': {
      const route: Route = { page: 'usage', range: rangeOf(params) };
      if (params.get('metric') === 'cost') route.metric = 'cost';
      const by = params.get('by');
      if (by === 'user' || by === 'project') route.by = by;
      return route;
    }
    case 'tools':
      return { page: 'tools', range: rangeOf(params) };
    case 'team': {
      const team: TeamParams = { range: rangeOf(params) };
      for (const key of ['project', 'model'] as const) {
        const v = params.get(key)?.trim();
        if (v) team[key] = v;
      }
      if (params.get('per') === 'week') team.per = 'week';
      return { page: 'team', params: team };
    }
    case 'sessions': {
      if (parts[1]) return { page: 'session', id: parts[1] };
      const filter: SessionFilterParams = {};
      for (const key of FILTER_KEYS) {
        const v = params.get(key)?.trim();
        // A mistyped day or preset in a shared link is dropped, not sent to the API.
        if (!v || ((key === 'from' || key === 'to') && !isDay(v)) || (key === 'days' && !(RANGE_DAYS as readonly number[]).includes(Number(v)))) continue;
        filter[key] = v;
      }
      return { page: 'sessions', filter };
    }
    case 'budgets':
      return { page: 'budgets' };
    default:
      return params.get('window') === 'D7' ? { page: 'home', window: 'D7' } : { page: 'home' };
  }
}

const withQuery = (path: string, params: URLSearchParams) => {
  const q = params.toString();
  return q ? `${path}?${q}` : path;
};

/** The hash for a route; the inverse of {@link parseRoute}. */
export function routeHash(route: Route): string {
  switch (route.page) {
    case 'home':
      return route.window ? '#/?window=D7' : '#/';
    case 'budgets':
      return '#/budgets';
    case 'tools':
      return withQuery('#/tools', rangeQuery(route.range));
    case 'usage': {
      const params = rangeQuery(route.range);
      if (route.metric) params.set('metric', route.metric);
      if (route.by) params.set('by', route.by);
      return withQuery('#/usage', params);
    }
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}`;
    case 'team': {
      const params = rangeQuery(route.params.range);
      for (const key of ['project', 'model', 'per'] as const) if (route.params[key]) params.set(key, route.params[key]!);
      return withQuery('#/team', params);
    }
    case 'sessions': {
      const params = new URLSearchParams();
      for (const key of FILTER_KEYS) if (route.filter[key]) params.set(key, route.filter[key]!);
      return withQuery('#/sessions', params);
    }
  }
}

/** The time zone named in the hash (`…?tz=Europe/Berlin`, any page), if any. */
export function zoneParam(hash: string): string | undefined {
  const query = hash.split('?', 2)[1];
  return query ? (new URLSearchParams(query).get('tz')?.trim() || undefined) : undefined;
}

/** `hash` with its `tz` parameter set (or removed when `timeZone` is undefined). */
export function withZone(hash: string, timeZone: string | undefined): string {
  const [path, query = ''] = (hash || '#/').split('?', 2);
  const params = new URLSearchParams(query);
  if (timeZone) params.set('tz', timeZone);
  else params.delete('tz');
  return withQuery(path, params);
}
