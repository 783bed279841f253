/**
 * The suite's fallback servers. jest's global setup and teardown run as their own process
 * (test-support/test-servers.command.ts) and are told that nothing answers on the default ports:
 * real PostgreSQL and JetStream come up on free ports, their URLs are exported, and the teardown
 * leaves no process and no data behind. The plan itself (what starts when) is checked directly.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { runApp } from '../../tests/stack/support/app-process';
import { planEmbedded } from '../start/embedded/embedded-services';
import { startTestServers } from './test-servers';

/** Processes whose command line names `dir` (a postgres -D …, a nats-server -sd …). */
function processesOn(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir));
}

it('starts PostgreSQL and nats-server when nothing answers, exports their URLs, and the teardown leaves nothing', async () => {
  const setup = runApp('test-servers', [], { HOME: process.env.HOME ?? '/tmp' });
  let dataDir = '';
  try {
    const [, json] = await setup.waitForOutput(/TEST_SERVERS (\{.*\})\n/, 90_000);
    const started = JSON.parse(json) as { DATABASE_URL: string; NATS_URL: string; dataDir: string };
    dataDir = started.dataDir;
    expect(started.DATABASE_URL).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/\w+$/);
    expect(started.NATS_URL).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    // Free ports, never the defaults that the machine's own servers would take.
    expect(new URL(started.DATABASE_URL).port).not.toBe('5432');
    expect(new URL(started.NATS_URL).port).not.toBe('4222');

    // Tests create their own databases through this URL: it must be allowed to.
    const db = new Client({ connectionString: started.DATABASE_URL });
    await db.connect();
    const name = `probe_${process.pid}`;
    await db.query(`CREATE DATABASE ${name}`);
    await db.query(`DROP DATABASE ${name}`);
    await db.end();

    const nc = await connect({ servers: started.NATS_URL });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'TEST_SERVERS_PROBE', subjects: ['test-servers-probe.>'] });
    expect((await jsm.streams.info('TEST_SERVERS_PROBE')).config.subjects).toEqual(['test-servers-probe.>']);
    await nc.close();
    expect(processesOn(dataDir).length).toBeGreaterThanOrEqual(2);

    expect(await setup.stop(60_000)).toBe(0);
    expect(setup.output()).toMatch(/TEST_SERVERS stopped/);
  } finally {
    await setup.stop(1_000);
  }
  expect(processesOn(dataDir)).toEqual([]);
  expect(fs.existsSync(dataDir)).toBe(false);
}, 120_000);

describe('what the global setup starts', () => {
  const nothing = async (): Promise<boolean> => false;
  const quiet = (): void => undefined;

  it('nothing where the URLs are set or the default ports answer (CI)', async () => {
    const configured = await startTestServers({ DATABASE_URL: 'postgres://db.invalid/x', NATS_URL: 'nats://nats.invalid:4222' }, { probe: nothing, say: quiet });
    expect(configured).toMatchObject({ env: {}, servers: [], dataDir: undefined });
    const answering = await startTestServers({}, { probe: async () => true, say: quiet });
    expect(answering).toMatchObject({ env: {}, servers: [], dataDir: undefined });
  });

  it('only the server that is missing', async () => {
    expect(await planEmbedded('auto', { DATABASE_URL: 'postgres://db.invalid/x' }, nothing)).toEqual({ postgres: false, nats: true });
    const env: Record<string, string | undefined> = { PATH: process.env.PATH, DATABASE_URL: 'postgres://db.invalid/x' };
    const started = await startTestServers(env, { probe: nothing, say: quiet });
    try {
      expect(started.servers.map((s) => s.name)).toEqual(['nats-server']);
      expect(env.DATABASE_URL).toBe('postgres://db.invalid/x');
      expect(env.NATS_URL).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await started.stop();
    }
    expect(processesOn(started.dataDir as string)).toEqual([]);
  }, 60_000);
});
