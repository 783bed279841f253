import { RequestRateLimiter } from './request-rate-limiter';

describe('RequestRateLimiter', () => {
  let now = 0;
  beforeEach(() => (now = 1_000_000));

  it('lets a caller send its burst, then one request per refill interval', () => {
    const l = new RequestRateLimiter(60, 3, { now: () => now }); // one a second after a burst of 3
    expect([l.take('t1'), l.take('t1'), l.take('t1')]).toEqual([0, 0, 0]);
    expect(l.take('t1')).toBe(1000);
    now += 500;
    expect(l.take('t1')).toBe(500);
    now += 500;
    expect(l.take('t1')).toBe(0);
    expect(l.take('t1')).toBeGreaterThan(0);
  });

  it('counts each caller on its own', () => {
    const l = new RequestRateLimiter(60, 1, { now: () => now });
    expect(l.take('a')).toBe(0);
    expect(l.take('a')).toBeGreaterThan(0);
    expect(l.take('b')).toBe(0);
  });

  it('refills no further than the burst', () => {
    const l = new RequestRateLimiter(60, 2, { now: () => now });
    l.take('a');
    now += 3_600_000;
    expect([l.take('a'), l.take('a'), l.take('a') > 0]).toEqual([0, 0, true]);
  });

  it('says once when a caller starts being refused, and again only after it was let through in between', () => {
    const limited: string[] = [];
    const l = new RequestRateLimiter(60, 1, { now: () => now, onLimited: (c) => limited.push(c) });
    l.take('a');
    l.take('a');
    l.take('a');
    expect(limited).toEqual(['a']);
    now += 1000;
    expect(l.take('a')).toBe(0);
    l.take('a');
    expect(limited).toEqual(['a', 'a']);
  });
});
