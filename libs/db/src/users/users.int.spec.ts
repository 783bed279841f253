import { readCheckpoint, storeCheckpoint } from '../checkpoints/checkpoints';
import { recordRejectedEntries } from '../checkpoints/rejected-entries';
import { recordHeartbeat } from '../heartbeats/record-heartbeat';
import { createProjectionSchema } from '../projection/projection-schema';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { createUser, findUserByToken, getUser, hashToken, issueToken, markOnboarded, revokeTokens, UnknownUserError } from './users';

jest.setTimeout(60_000);

describe('users, tokens, heartbeats and checkpoints (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('a token is stored hashed, finds its user until revoked or expired, and stamps last_used_at', async () => {
    await createUser(t.db, 'ann', 'admin');
    const token = await issueToken(t.db, 'ann');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await t.db.selectFrom('api_tokens').selectAll().execute();
    expect(stored.map((r) => r.token_hash)).toEqual([hashToken(token)]);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await findUserByToken(t.db, token)).toMatchObject({ name: 'ann', role: 'admin', onboarded: false });
    expect((await t.db.selectFrom('api_tokens').select('last_used_at').executeTakeFirstOrThrow()).last_used_at).toBeInstanceOf(Date);
    expect(await findUserByToken(t.db, 'not-a-token')).toBeNull();

    const expired = await issueToken(t.db, 'ann', { expiresAt: new Date(Date.now() - 1000) });
    expect(await findUserByToken(t.db, expired)).toBeNull();
    expect(await revokeTokens(t.db, 'ann')).toBe(2);
    expect(await findUserByToken(t.db, token)).toBeNull();
    await expect(issueToken(t.db, 'nobody')).rejects.toBeInstanceOf(UnknownUserError);

    await markOnboarded(t.db, 'ann');
    expect(await getUser(t.db, 'ann')).toMatchObject({ onboarded: true });
    await expect(markOnboarded(t.db, 'nobody')).rejects.toBeInstanceOf(UnknownUserError);
  });

  it('a heartbeat creates a member on first contact and never moves last_sync_at back', async () => {
    const hb = { v: 1 as const, user: 'bob', host: 'lap', version: '0.1.0', filesTracked: 3, lagBytes: 10, at: '2026-02-01T10:00:00Z' };
    expect(await recordHeartbeat(t.db, hb)).toBe(true);
    expect(await recordHeartbeat(t.db, { ...hb, at: '2026-02-01T09:00:00Z', filesTracked: 1 })).toBe(false);
    expect(await getUser(t.db, 'bob')).toMatchObject({ role: 'member', lastSyncAt: new Date('2026-02-01T10:00:00Z') });
    const rows = await t.db.selectFrom('ingestor_heartbeats').selectAll().execute();
    expect(rows).toEqual([expect.objectContaining({ user_name: 'bob', host: 'lap', files_tracked: 3, lag_bytes: 10 })]);
    await t.db.transaction().execute((trx) => recordHeartbeat(trx, { ...hb, host: 'desk' }));
    expect(await t.db.selectFrom('ingestor_heartbeats').selectAll().execute()).toHaveLength(2);
  });

  it('checkpoints never move backwards; rejected entries are recorded once', async () => {
    expect(await readCheckpoint(t.db, 'aggregator-v1')).toBeNull();
    await storeCheckpoint(t.db, 'aggregator-v1', 'usage_v1', 42);
    await storeCheckpoint(t.db, 'aggregator-v1', 'usage_v1', 41);
    expect(await readCheckpoint(t.db, 'aggregator-v1')).toMatchObject({ schema: 'usage_v1', lastSeq: 42 });
    await storeCheckpoint(t.db, 'aggregator-v1', 'usage_v1', 2 ** 40);
    expect((await readCheckpoint(t.db, 'aggregator-v1'))?.lastSeq).toBe(2 ** 40);

    await createProjectionSchema(t.db, 1);
    const rej = { streamSeq: 7, reason: 'bad_envelope', detail: 'v missing', userName: null, file: null, byteOffset: null };
    await recordRejectedEntries(t.db, 'usage_v1', [rej, rej]);
    await recordRejectedEntries(t.db, 'usage_v1', [rej]);
    expect(await t.db.withSchema('usage_v1').selectFrom('rejected_entries').selectAll().execute()).toHaveLength(1);
  });
});
