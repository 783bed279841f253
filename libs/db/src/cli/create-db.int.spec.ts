import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { assertReachable, createDatabase } from '../connection/create-database';
import { createMissingDatabase } from '../connection/create-missing-database';
import { DatabaseMissingError } from '../errors';
import { run } from './migrate.command';

jest.setTimeout(60_000);

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function urlFor(database: string, user?: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  if (user) u.username = user;
  return u.toString();
}

describe('a database that does not exist (real PostgreSQL)', () => {
  const name = `ccpulse_missing_${randomBytes(5).toString('hex')}`;
  const role = `ccpulse_nocreate_${randomBytes(4).toString('hex')}`;
  const admin = createDatabase({ url: ADMIN_URL, poolSize: 1, statementTimeoutMs: 0 });
  const saved = process.env.DATABASE_URL;
  let errors: string[] = [];
  let logs: string[] = [];

  beforeEach(() => {
    errors = [];
    logs = [];
    jest.spyOn(console, 'error').mockImplementation((l: unknown) => void errors.push(String(l)));
    jest.spyOn(console, 'log').mockImplementation((l: unknown) => void logs.push(String(l)));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });
  afterAll(async () => {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await sql`drop role if exists ${sql.id(role)}`.execute(admin);
    await admin.destroy();
  });

  it('is reported as missing, not unreachable, with the command that creates it', async () => {
    const db = createDatabase({ url: urlFor(name), poolSize: 1 });
    try {
      const err = await assertReachable(db).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseMissingError);
      expect((err as Error).message).toBe(`database "${name}" does not exist on PostgreSQL at ${new URL(ADMIN_URL).hostname}:${new URL(ADMIN_URL).port || '5432'}; create it with: ccpulse migrate --create-db`);
    } finally {
      await db.destroy();
    }
    process.env.DATABASE_URL = urlFor(name);
    expect(await run([])).toBe(1);
    expect(errors.join('\n')).toMatch(/does not exist.*ccpulse migrate --create-db/);
    expect(errors.join('\n')).not.toMatch(/unreachable/);
  });

  it('given a role that may not create databases, then --create-db says what to ask an admin', async () => {
    await sql`create role ${sql.id(role)} login nocreatedb`.execute(admin);
    await expect(createMissingDatabase(urlFor(name, role))).rejects.toThrow(new RegExp(`role "${role}" may not create database "${name}".*createdb -O ${role} ${name}`));
  });

  it('`migrate --create-db` creates it, migrates it, and is a no-op for the creation the second time', async () => {
    process.env.DATABASE_URL = urlFor(name);
    expect(await run(['--create-db'])).toBe(0);
    expect(logs).toContain('migrate: created the database');
    expect(logs.join('\n')).toMatch(/live projection usage_v\d+/);
    logs.length = 0;
    expect(await run(['--create-db'])).toBe(0);
    expect(logs).not.toContain('migrate: created the database');
    expect(logs).toContain('migrate: nothing to apply');
  });
});
