/**
 * When the bench starts servers of its own: the same decision as the test suite's fallback
 * (tools/jest/test-servers.ts), and the stacks read the URLs it exports when they are made, not
 * when their modules load. Starting the embedded servers for real is covered by
 * tools/jest/test-servers.int.spec.ts (and a bench:smoke run without services).
 */
import { adminDatabaseUrl } from '../../tests/support/scratch-database';
import { withBenchServers } from './bench-servers';

describe('withBenchServers', () => {
  const quiet = (): void => undefined;

  it('given DATABASE_URL and NATS_URL, starts nothing and does not look for local servers', async () => {
    const env = { DATABASE_URL: 'postgres://db.invalid/x', NATS_URL: 'nats://nats.invalid:4222' };
    const probe = jest.fn(async () => false);
    expect(await withBenchServers(async () => 'ran', env, { probe, say: quiet })).toBe('ran');
    expect(probe).not.toHaveBeenCalled();
    expect(env).toEqual({ DATABASE_URL: 'postgres://db.invalid/x', NATS_URL: 'nats://nats.invalid:4222' });
  });

  it('given servers answering on 127.0.0.1:5432 and 4222 and no URLs, starts nothing and leaves the URLs unset', async () => {
    const env: Record<string, string | undefined> = {};
    const asked: string[] = [];
    const probe = async (host: string, port: number): Promise<boolean> => {
      asked.push(`${host}:${port}`);
      return true;
    };
    await withBenchServers(async () => undefined, env, { probe, say: quiet });
    expect(asked.sort()).toEqual(['127.0.0.1:4222', '127.0.0.1:5432']);
    expect(env).toEqual({});
  });

  it('given PostgreSQL answering and no NATS, starts nothing: each bench runs its own nats-server and counts its CPU', async () => {
    const env: Record<string, string | undefined> = {};
    const probe = async (_host: string, port: number): Promise<boolean> => port === 5432;
    await withBenchServers(async () => undefined, env, { probe, say: quiet });
    expect(env).toEqual({});
  });

  it('when the bench fails, the failure is what it throws', async () => {
    const env = { DATABASE_URL: 'postgres://db.invalid/x', NATS_URL: 'nats://nats.invalid:4222' };
    await expect(withBenchServers(async () => Promise.reject(new Error('regression')), env, { say: quiet })).rejects.toThrow('regression');
  });
});

describe('adminDatabaseUrl', () => {
  const saved = process.env.DATABASE_URL;
  afterEach(() => (saved === undefined ? delete process.env.DATABASE_URL : (process.env.DATABASE_URL = saved)));

  it('reads DATABASE_URL when asked, so a URL the fallback exports after loading is the one used', () => {
    delete process.env.DATABASE_URL;
    expect(adminDatabaseUrl()).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    process.env.DATABASE_URL = 'postgres://postgres:pw@127.0.0.1:40123/postgres';
    expect(adminDatabaseUrl()).toBe('postgres://postgres:pw@127.0.0.1:40123/postgres');
  });
});
