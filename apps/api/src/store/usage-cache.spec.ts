import type { UsageQuery } from './api-store';
import { UsageCache } from './usage-cache';

const q = (over: Partial<UsageQuery> = {}): UsageQuery => ({ from: '2026-11-01', to: '2026-11-30', timeZone: 'UTC', groupBy: ['DAY', 'MODEL'], maxRows: 100, ...over });
const notice = (user: string, days: string[]) => ({ v: 1 as const, user, users: [user], sessions: ['s'], days, seq: 1, committedAt: 0 });

describe('UsageCache', () => {
  it('serves an answer until a commit touches its users and days', () => {
    const c = new UsageCache(60_000);
    const team = c.key('usage_v1', q());
    const alice = c.key('usage_v1', q({ users: ['alice'] }));
    c.set(team, q(), []);
    c.set(alice, q({ users: ['alice'] }), []);
    expect(c.get(team)).toEqual([]);

    c.invalidate(notice('bob', ['2026-12-05'])); // outside the range: both stay
    expect(c.size).toBe(2);
    c.invalidate(notice('bob', ['2026-11-30'])); // bob's day in range: the team answer goes, alice's stays
    expect(c.get(team)).toBeUndefined();
    expect(c.get(alice)).toEqual([]);
    c.invalidate(notice('alice', ['2026-12-01'])); // the day after `to` may be inside `to` in a western zone
    expect(c.get(alice)).toBeUndefined();
  });

  it('expires answers after the TTL and keys by schema', () => {
    const c = new UsageCache(1000);
    const k = c.key('usage_v1', q());
    c.set(k, q(), [], 0);
    expect(c.get(k, 999)).toEqual([]);
    expect(c.get(k, 1000)).toBeUndefined();
    expect(c.key('usage_v2', q())).not.toBe(k);
  });
});
