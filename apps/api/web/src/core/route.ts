/** The pages of the dashboard, addressed by the URL hash so the server needs one index.html. */
export type Route =
  | { page: 'home' }
  | { page: 'usage'; range: DayRange }
  | { page: 'sessions'; filter: SessionFilterParams }
  | { page: 'session'; id: string }
  | { page: 'tools'; range: DayRange }
  | { page: 'team'; params: TeamParams };

/** The Team page's dates and filters (`#/team?from=…&to=…&project=…&model=…`). */
export interface TeamParams extends DayRange {
  project?: string;
  model?: string;
}

/** An explicit day range (`#/usage?from=2026-01-01&to=2026-01-31`); empty means the last days. */
export interface DayRange {
  from?: string;
  to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** List filters as they appear in the hash query (`#/sessions?user=ann&from=2026-11-01`). */
export interface SessionFilterParams {
  user?: string;
  project?: string;
  model?: string;
  from?: string;
  to?: string;
}

const FILTER_KEYS: (keyof SessionFilterParams)[] = ['user', 'project', 'model', 'from', 'to'];

/** `#/sessions/abc?x` → a route; anything unknown is home. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'usage':
    case 'tools': {
      const params = new URLSearchParams(query);
      const range: DayRange = {};
      for (const key of ['from', 'to'] as const) {
        const v = params.get(key)?.trim();
        if (v && DAY.test(v)) range[key] = v;
      }
      return { page: parts[0], range };
    }
    case 'team': {
      const q = new URLSearchParams(query);
      const params: TeamParams = {};
      for (const key of ['from', 'to'] as const) {
        const v = q.get(key)?.trim();
        if (v && DAY.test(v)) params[key] = v;
      }
      for (const key of ['project', 'model'] as const) {
        const v = q.get(key)?.trim();
        if (v) params[key] = v;
      }
      return { page: 'team', params };
    }
    case 'sessions': {
      if (parts[1]) return { page: 'session', id: parts[1] };
      const params = new URLSearchParams(query);
      const filter: SessionFilterParams = {};
      for (const key of FILTER_KEYS) {
        const v = params.get(key)?.trim();
        if (v) filter[key] = v;
      }
      return { page: 'sessions', filter };
    }
    default:
      return { page: 'home' };
  }
}

/** The hash for a route; the inverse of {@link parseRoute}. */
export function routeHash(route: Route): string {
  switch (route.page) {
    case 'home':
      return '#/';
    case 'tools':
    case 'usage': {
      const params = new URLSearchParams();
      if (route.range.from) params.set('from', route.range.from);
      if (route.range.to) params.set('to', route.range.to);
      const q = params.toString();
      return q ? `#/${route.page}?${q}` : `#/${route.page}`;
    }
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}`;
    case 'team': {
      const q = new URLSearchParams();
      for (const key of ['from', 'to', 'project', 'model'] as const) if (route.params[key]) q.set(key, route.params[key]!);
      const text = q.toString();
      return text ? `#/team?${text}` : '#/team';
    }
    case 'sessions': {
      const params = new URLSearchParams();
      for (const key of FILTER_KEYS) if (route.filter[key]) params.set(key, route.filter[key]!);
      const q = params.toString();
      return q ? `#/sessions?${q}` : '#/sessions';
    }
  }
}
