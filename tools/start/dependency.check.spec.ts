import { checkDependencies, describeDown, natsAddresses, postgresAddress } from './dependency.check';

const upOnly = (...open: string[]) => async (host: string, port: number) => open.includes(`${host}:${port}`);

describe('checkDependencies', () => {
  const env = { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://me:secret@db.local:5433/ccpulse' };

  it('given both answering, then nothing is down', async () => {
    expect(await checkDependencies(env, upOnly('127.0.0.1:4222', 'db.local:5433'))).toEqual([]);
  });

  it('given NATS down, then names NATS, NATS_URL and how to start it or use the embedded one', async () => {
    const down = await checkDependencies(env, upOnly('db.local:5433'));
    expect(down.map((d) => d.name)).toEqual(['NATS']);
    const [line] = describeDown(down);
    expect(line).toMatch(/^NATS does not answer at 127\.0\.0\.1:4222 \(NATS_URL\): start it with JetStream \(nats-server -js/);
    expect(line).toMatch(/--embedded/);
  });

  it('given PostgreSQL down, then names it and DATABASE_URL without the password', async () => {
    const lines = describeDown(await checkDependencies(env, upOnly('127.0.0.1:4222')));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^PostgreSQL does not answer at db\.local:5433 \(DATABASE_URL\)/);
    expect(lines[0]).not.toContain('secret');
  });

  it('given both down, then names both', async () => {
    expect((await checkDependencies(env, upOnly())).map((d) => d.setting)).toEqual(['NATS_URL', 'DATABASE_URL']);
  });

  it('counts NATS up when any server of a list answers, and reads bare host:port', async () => {
    expect(natsAddresses('nats://a:1, b:2,tls://c')).toEqual([{ host: 'a', port: 1 }, { host: 'b', port: 2 }, { host: 'c', port: 4222 }]);
    expect(await checkDependencies({ NATS_URL: 'nats://a:1,b:2' }, upOnly('b:2'))).toEqual([]);
  });

  it('does not probe a Unix-socket DATABASE_URL', () => {
    expect(postgresAddress('postgres:///ccpulse?host=/run/postgresql')).toBeUndefined();
    expect(postgresAddress('postgres://u@h/db')).toEqual({ host: 'h', port: 5432 });
  });
});
