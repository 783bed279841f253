import type { Kysely } from 'kysely';
import type { Database } from '@ccpulse/db';

const lookups: { token: string; release: (found: boolean) => void }[] = [];
jest.mock('@ccpulse/db', () => ({
  ...jest.requireActual('@ccpulse/db'),
  findUserByToken: (_db: unknown, token: string) =>
    new Promise((resolve) =>
      lookups.push({ token, release: (found) => resolve(found ? { name: 'ann', role: 'member', onboarded: true, lastSyncAt: null, createdAt: new Date() } : null) }),
    ),
}));

import { createPgApiStore } from './pg-api-store';

describe('createPgApiStore token lookups', () => {
  beforeEach(() => lookups.splice(0));

  it('concurrent requests with one uncached token share one lookup (one last_used_at write)', async () => {
    const store = createPgApiStore({} as Kysely<Database>, { tokenCacheMs: 5000 });
    const waiting = Array.from({ length: 16 }, () => store.findUserByToken('t1'));
    const other = store.findUserByToken('t2');
    expect(lookups.map((l) => l.token)).toEqual(['t1', 't2']);
    lookups[0].release(true);
    lookups[1].release(false);
    for (const u of await Promise.all(waiting)) expect(u).toMatchObject({ name: 'ann', role: 'member' });
    expect(await other).toBeUndefined();
    await store.findUserByToken('t1'); // cached now
    expect(lookups).toHaveLength(2);
    const again = store.findUserByToken('t2'); // unknown tokens are not cached: looked up again
    expect(lookups).toHaveLength(3);
    lookups[2].release(false);
    expect(await again).toBeUndefined();
  });

  it('with the cache off every request looks its token up', async () => {
    const store = createPgApiStore({} as Kysely<Database>, { tokenCacheMs: 0 });
    const first = store.findUserByToken('t1');
    lookups[0].release(true);
    await first;
    const second = store.findUserByToken('t1');
    expect(lookups).toHaveLength(2);
    lookups[1].release(true);
    await second;
  });
});
