import { FailedAuthLimiter } from './failed-auth-limiter';

describe('FailedAuthLimiter', () => {
  let now = 0;
  const limiter = () => new FailedAuthLimiter(3, 60_000, () => now);
  beforeEach(() => (now = 1_000_000));

  it('lets an address fail up to the limit, then refuses it until the window ends', () => {
    const l = limiter();
    expect(l.recordFailure('10.0.0.1')).toBe(false);
    expect(l.recordFailure('10.0.0.1')).toBe(false);
    expect(l.retryAfterMs('10.0.0.1')).toBe(0);
    expect(l.recordFailure('10.0.0.1')).toBe(true);
    now += 10_000;
    expect(l.retryAfterMs('10.0.0.1')).toBe(50_000);
    now += 50_000;
    expect(l.retryAfterMs('10.0.0.1')).toBe(0);
    expect(l.size).toBe(0);
  });

  it('counts each address on its own', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure('10.0.0.1');
    expect(l.retryAfterMs('10.0.0.1')).toBeGreaterThan(0);
    expect(l.retryAfterMs('10.0.0.2')).toBe(0);
  });

  it('starts a fresh window after the old one ended', () => {
    const l = limiter();
    l.recordFailure('a');
    l.recordFailure('a');
    now += 60_000;
    l.recordFailure('a');
    expect(l.retryAfterMs('a')).toBe(0);
  });

  it('stays bounded under many addresses', () => {
    const l = new FailedAuthLimiter(3, 60_000, () => now);
    for (let i = 0; i < 10_050; i++) l.recordFailure(`addr-${i}`);
    expect(l.size).toBeLessThanOrEqual(10_000);
  });
});
