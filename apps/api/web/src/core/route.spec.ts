import { parseRoute, routeHash } from './route';

describe('routes', () => {
  it('round-trips every page through the hash', () => {
    for (const hash of ['#/', '#/usage', '#/tools', '#/sessions', '#/sessions?user=ann&model=opus', '#/sessions/a%2Fb-1', '#/usage?from=2025-06-01&to=2026-01-31', '#/tools?from=2026-01-01']) {
      expect(routeHash(parseRoute(hash))).toBe(hash);
    }
  });

  it('reads session ids and filters, and sends unknown paths home', () => {
    expect(parseRoute('#/sessions/abc-123')).toEqual({ page: 'session', id: 'abc-123' });
    expect(parseRoute('#/sessions?project=%2Fsrc%2Fx&bogus=1&from=')).toEqual({ page: 'sessions', filter: { project: '/src/x' } });
    expect(parseRoute('#/usage?from=junk&to=2026-01-31')).toEqual({ page: 'usage', range: { to: '2026-01-31' } });
    expect(parseRoute('')).toEqual({ page: 'home' });
    expect(parseRoute('#/nope')).toEqual({ page: 'home' });
  });
});

describe('the budgets route', () => {
  it('round-trips', () => {
    expect(parseRoute('#/budgets')).toEqual({ page: 'budgets' });
    expect(routeHash({ page: 'budgets' })).toBe('#/budgets');
  });
});
