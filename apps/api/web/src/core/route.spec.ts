import { parseRoute, routeHash, withZone, zoneParam } from './route';

describe('routes', () => {
  it('round-trips every page and every filter through the hash', () => {
    for (const hash of [
      '#/',
      '#/?window=D7',
      '#/usage',
      '#/tools',
      '#/sessions',
      '#/sessions?user=ann&model=opus',
      '#/sessions?days=30',
      '#/sessions/a%2Fb-1',
      '#/usage?from=2025-06-01&to=2026-01-31',
      '#/usage?days=90&metric=cost&by=project',
      '#/tools?days=90',
      '#/tools?from=2026-01-01',
    ]) {
      expect(routeHash(parseRoute(hash))).toBe(hash);
    }
  });

  it('reads session ids and filters, and sends unknown paths home', () => {
    expect(parseRoute('#/sessions/abc-123')).toEqual({ page: 'session', id: 'abc-123' });
    expect(parseRoute('#/sessions?project=%2Fsrc%2Fx&bogus=1&from=')).toEqual({ page: 'sessions', filter: { project: '/src/x' } });
    expect(parseRoute('#/sessions?from=junk&to=2026-02-30&days=12&model=m')).toEqual({ page: 'sessions', filter: { model: 'm' } });
    expect(parseRoute('#/usage?from=2026-99-99&to=2026-01-31&days=12&by=nobody')).toEqual({ page: 'usage', range: { to: '2026-01-31' } });
    expect(parseRoute('')).toEqual({ page: 'home' });
    expect(parseRoute('#/nope')).toEqual({ page: 'home' });
  });

  it('carries the time zone on any page without disturbing the other parameters', () => {
    expect(zoneParam('#/usage?days=7&tz=Asia%2FKolkata')).toBe('Asia/Kolkata');
    expect(zoneParam('#/usage')).toBeUndefined();
    expect(withZone('#/usage?days=7', 'Asia/Kolkata')).toBe('#/usage?days=7&tz=Asia%2FKolkata');
    expect(withZone('#/usage?days=7&tz=UTC', undefined)).toBe('#/usage?days=7');
    expect(withZone('', 'UTC')).toBe('#/?tz=UTC');
    expect(parseRoute('#/usage?days=7&tz=UTC')).toEqual({ page: 'usage', range: { days: 7 } });
  });
});

describe('the budgets route', () => {
  it('round-trips', () => {
    expect(parseRoute('#/budgets')).toEqual({ page: 'budgets' });
    expect(routeHash({ page: 'budgets' })).toBe('#/budgets');
  });
});

describe('the team route', () => {
  it('keeps range, filters and grain, and drops a mistyped day', () => {
    const route = parseRoute('#/team?days=90&project=%2Fw%2Fapp&model=m&per=week&from=2026-02-30');
    expect(route).toEqual({ page: 'team', params: { range: { days: 90 }, project: '/w/app', model: 'm', per: 'week' } });
    expect(parseRoute(routeHash(route))).toEqual(route);
  });
});
