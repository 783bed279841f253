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
});
