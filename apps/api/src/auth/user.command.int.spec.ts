import { findUserByToken } from '@ccpulse/db';
import { createTestDatabase, type TestDatabase } from '../../../../libs/db/src/test-support/test-database';
import { run } from './user.command';

describe('ccpulse user (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  const exec = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { DATABASE_URL: t.url });
    return { code, out, err };
  };

  it('adds a user, prints a working token once, and revokes it', async () => {
    const added = await exec('add', 'dana', '--admin');
    expect(added.code).toBe(0);
    expect(added.out).toHaveLength(1);
    const token = added.out[0];
    expect(await findUserByToken(t.db, token)).toMatchObject({ name: 'dana', role: 'admin' });
    const stored = await t.db.withSchema('public').selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const revoked = await exec('revoke', 'dana');
    expect(revoked).toMatchObject({ code: 0, out: ['revoked 1 token of dana'] });
    expect(await findUserByToken(t.db, token)).toBeNull();
  });

  it('issues a token with an expiry that stops working once it passes', async () => {
    const added = await exec('add', 'erin', '--expires', '30d');
    expect(added.code).toBe(0);
    expect(added.err[0]).toMatch(/valid until \d{4}-/);
    const token = added.out[0];
    expect(await findUserByToken(t.db, token)).toMatchObject({ name: 'erin' });
    const [row] = await t.db.withSchema('public').selectFrom('api_tokens').select('expires_at').where('user_name', '=', 'erin').execute();
    const days = (row.expires_at!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    await t.db.withSchema('public').updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('user_name', '=', 'erin').execute();
    expect(await findUserByToken(t.db, token)).toBeNull();
    expect((await exec('add', 'erin', '--expires', 'soon')).code).toBe(2);
    expect((await exec('add', 'erin', '--expires')).code).toBe(2);
  });

  it('refuses bad names, options and unknown users', async () => {
    expect((await exec('add', 'no spaces')).code).toBe(2);
    expect((await exec('add', 'eve', '--root')).code).toBe(2);
    expect((await exec('revoke', 'nobody')).code).toBe(1);
    expect((await exec('frobnicate')).code).toBe(2);
  });

  it('given an existing name, when adding it again, then refuses clearly, issues nothing and keeps the old token', async () => {
    const first = await exec('add', 'fay');
    const again = await exec('add', 'fay', '--admin');
    expect(again.code).toBe(1);
    expect(again.out).toEqual([]);
    expect(again.err.join('\n')).toMatch(/a user named 'fay' already exists \(member, 1 live token\); nothing changed/);
    expect(again.err.join('\n')).toMatch(/ccpulse user rotate fay/);
    expect(await findUserByToken(t.db, first.out[0])).toMatchObject({ name: 'fay', role: 'member' });
    const tokens = await t.db.withSchema('public').selectFrom('api_tokens').select('id').where('user_name', '=', 'fay').execute();
    expect(tokens).toHaveLength(1);
  });

  it('rotates: the old tokens stop working and the one new token works', async () => {
    const first = await exec('add', 'gus');
    const rotated = await exec('rotate', 'gus', '--expires', '7d');
    expect(rotated.code).toBe(0);
    expect(rotated.err[0]).toMatch(/revoked 1 token of gus and issued a new one, valid until/);
    expect(await findUserByToken(t.db, first.out[0])).toBeNull();
    expect(await findUserByToken(t.db, rotated.out[0])).toMatchObject({ name: 'gus' });
    expect((await exec('rotate', 'nobody')).code).toBe(1);
    expect((await exec('rotate', 'gus', '--admin')).code).toBe(2);
  });

  it('lists every user with role, live tokens and last use, never a token', async () => {
    const hal = await exec('add', 'hal', '--admin');
    await findUserByToken(t.db, hal.out[0]);
    const listed = await exec('list');
    expect(listed.code).toBe(0);
    expect(listed.out[0]).toMatch(/^NAME +ROLE +LIVE TOKENS +LAST USED$/);
    expect(listed.out.find((l) => l.startsWith('hal '))).toMatch(/^hal +admin +1 +\d{4}-\d\d-\d\dT/);
    expect(listed.out.find((l) => l.startsWith('dana '))).toMatch(/^dana +admin +0 +/);
    expect(listed.out.join('\n')).not.toContain(hal.out[0]);
    expect((await exec('list', 'extra')).code).toBe(2);
  });
});
