import { CoalescingQueue } from './coalescing-queue';
import { batchOf, mergeBatches, parseNotice } from './notice-batch';

describe('CoalescingQueue', () => {
  it('hands items straight to a waiting consumer', async () => {
    const q = new CoalescingQueue<number>(2, (a, b) => a + b);
    const next = q.next();
    q.push(7);
    await expect(next).resolves.toEqual({ value: 7, done: false });
  });

  it('stays bounded under a burst by merging into the newest slot', async () => {
    let merged = 0;
    const q = new CoalescingQueue<number[]>(3, (a, b) => [...a, ...b], () => merged++);
    for (let i = 0; i < 1000; i++) q.push([i]);
    expect(q.size).toBe(3);
    expect(merged).toBe(997);
    expect((await q.next()).value).toEqual([0]);
    expect((await q.next()).value).toEqual([1]);
    const last = (await q.next()).value as number[];
    expect(last[0]).toBe(2);
    expect(last[last.length - 1]).toBe(999);
  });

  it('ends a pending next on close and ignores later pushes', async () => {
    let closed = 0;
    const q = new CoalescingQueue<number>(1, (_a, b) => b, undefined, () => closed++);
    const pending = q.next();
    await q.return();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    q.push(1);
    await expect(q.next()).resolves.toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });
});

describe('notice batches', () => {
  const notice = (user: string, session: string, seq: number, at: number) => ({ v: 1 as const, user, sessions: [session], days: ['2026-11-20'], users: [user], seq, committedAt: at });

  it('merges keys, keeps the oldest commit time and counts notices', () => {
    const m = mergeBatches(batchOf(notice('a', 's1', 5, 100)), batchOf(notice('b', 's2', 9, 200)));
    expect(m).toEqual({ users: ['a', 'b'], sessions: ['s1', 's2'], days: ['2026-11-20'], seq: 9, firstCommittedAt: 100, lastCommittedAt: 200, notices: 2 });
  });

  it('parses wire notices and rejects malformed ones as values', () => {
    const ok = parseNotice(new TextEncoder().encode(JSON.stringify(notice('a', 's', 1, 5))));
    expect(ok).toMatchObject({ ok: true, notice: { user: 'a', sessions: ['s'] } });
    expect(parseNotice(new TextEncoder().encode('{nope'))).toEqual({ ok: false, reason: 'malformed_json' });
    expect(parseNotice(new TextEncoder().encode('{"user":1}'))).toEqual({ ok: false, reason: 'user' });
  });
});
