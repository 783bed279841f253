import type { UsageQuery } from '@ccpulse/db';
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

  it('keeps every answer through a sync-only notice (a heartbeat changes no usage)', () => {
    const c = new UsageCache(60_000);
    const team = c.key('usage_v1', q());
    c.set(team, q(), []);
    c.invalidate({ ...notice('bob', []), sessions: [], syncOnly: true });
    expect(c.get(team)).toEqual([]);
    c.invalidate({ ...notice('bob', []), sessions: [] }); // the same without the flag: every day of bob's
    expect(c.get(team)).toBeUndefined();
  });

  it('expires answers after the TTL and keys by schema', () => {
    const c = new UsageCache(1000);
    const k = c.key('usage_v1', q());
    c.set(k, q(), [], 0);
    expect(c.get(k, 999)).toEqual([]);
    expect(c.get(k, 1000)).toBeUndefined();
    expect(c.key('usage_v2', q())).not.toBe(k);
  });

  it('concurrent misses of one key share one query; other keys run their own', async () => {
    const c = new UsageCache(60_000);
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const query = async () => {
      calls++;
      await gate;
      return [];
    };
    const team = c.key('usage_v1', q());
    const alice = c.key('usage_v1', q({ users: ['alice'] }));
    const waiting = [c.load(team, q(), query), c.load(team, q(), query), c.load(alice, q({ users: ['alice'] }), query)];
    expect(calls).toBe(2);
    release();
    expect(await Promise.all(waiting)).toEqual([[], [], []]);
    await c.load(team, q(), query); // now cached
    expect(calls).toBe(2);
  });

  it('an answer whose query was under way when a commit touched it is returned but not kept', async () => {
    const c = new UsageCache(60_000);
    const k = c.key('usage_v1', q());
    const pending: (() => void)[] = [];
    const slow = () => new Promise<[]>((r) => pending.push(() => r([])));
    const releaseAll = () => pending.splice(0).forEach((r) => r());
    const first = c.load(k, q(), slow);
    c.invalidate(notice('bob', ['2026-11-10']));
    const second = c.load(k, q(), slow); // after the commit: its own query, not the stale one
    expect(pending).toHaveLength(2);
    const [releaseFirst, releaseSecond] = pending;
    releaseSecond();
    await second;
    expect(c.size).toBe(1); // the fresh answer is kept
    releaseFirst();
    await first;
    expect(c.size).toBe(1);
    c.invalidate(notice('bob', ['2026-11-10']));
    expect(c.size).toBe(0);

    const stale = c.load(k, q(), slow);
    c.invalidate(notice('bob', ['2026-11-10']));
    pending.splice(0).forEach((r) => r());
    expect(await stale).toEqual([]); // returned to its caller…
    expect(c.size).toBe(0); // …but not kept

    const other = c.key('usage_v1', q({ to: '2026-11-20' }));
    const running = c.load(other, q({ to: '2026-11-20' }), slow);
    c.invalidate(notice('bob', ['2026-12-05'])); // outside its range: the running query stays shared and kept
    const shared = c.load(other, q({ to: '2026-11-20' }), slow);
    expect(pending).toHaveLength(1);
    releaseAll();
    await Promise.all([running, shared]);
    expect(c.size).toBe(1);
  });

  it('a failed query reaches every caller waiting on it, and the next caller tries again', async () => {
    const c = new UsageCache(60_000);
    const k = c.key('usage_v1', q());
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('boom');
    };
    await expect(Promise.all([c.load(k, q(), failing), c.load(k, q(), failing)])).rejects.toThrow('boom');
    expect(calls).toBe(1);
    await expect(c.load(k, q(), async () => [])).resolves.toEqual([]);
  });
});
