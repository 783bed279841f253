/**
 * Infrastructure outages mid-backfill: the nats-server stopped and started again (a private one,
 * with its own store), PostgreSQL connections terminated mid-batch, and the database refusing
 * connections for a while. Each run must end with the reference run's exact projection.
 */
import { sql } from 'kysely';
import { createDatabase } from '@ccpulse/db';
import { dumpProjection } from '../../apps/aggregator/src/test-support/dump-projection';
import { createTestDatabase, type TestDatabase } from '../../apps/aggregator/src/test-support/test-database';
import { compareDumps, reportOutcome } from './support/fault-report';
import { FULL, SCALE } from './support/fault-scale';
import {
  SHARED_NATS,
  aggregateEnv,
  ingestEnv,
  checkpointProbe,
  rand,
  runNames,
  startAggregate,
  startIngest,
  streamState,
  exitedWithin,
} from './support/pipeline';
import { until } from '../support/until';
import { natsServerAvailable, privateNats, type PrivateNats } from './support/private-nats';
import { referenceRun, type Reference } from './support/reference-run';
import { writeWorkload, type Workload } from './support/workload';
import { supervise } from './support/supervisor';

jest.setTimeout(FULL ? 3_600_000 : 180_000);

const adminUrl = () => process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

describe('outages of NATS and PostgreSQL during a backfill', () => {
  let w: Workload;
  let ref: Reference;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    w = writeWorkload({ seed: 2020, sessions: FULL ? SCALE.sessions : 10, turns: SCALE.turns });
    ref = await referenceRun(w.root);
  });
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    await ref?.dispose();
    w?.remove();
  });

  const natsIt = natsServerAvailable() ? it : it.skip;
  if (!natsServerAvailable()) console.warn('nats-server binary not found (NATS_SERVER_BIN, the PATH or the usual install places): skipping the NATS restart scenario');

  natsIt(`given the nats-server stopped and restarted ${SCALE.natsRestarts}× mid-backfill, then ingest and aggregate resume with nothing lost`, async () => {
    const nats: PrivateNats = await privateNats();
    cleanup.push(() => nats.dispose());
    const t: TestDatabase = await createTestDatabase({ migrate: false });
    cleanup.push(() => t.drop());
    const cp = checkpointProbe(t.url);
    cleanup.push(() => cp.close());
    const names = runNames('nats');
    const ing = startIngest(w.root, ingestEnv(nats.url, names, { INGEST_PUBLISH_WINDOW: '64' }), true);
    const agg = startAggregate(aggregateEnv(nats.url, t.url, names, { AGGREGATOR_BATCH_SIZE: '100' }));
    cleanup.push(async () => void (await Promise.all([ing.kill(), agg.kill()])));
    let recoverMs = 0;
    for (let i = 1; i <= SCALE.natsRestarts; i++) {
      const target = Math.floor((i * ref.head) / (SCALE.natsRestarts + 1));
      await until(`stream at ${target}`, async () => (await streamState(nats.url, names.stream).catch(() => ({ lastSeq: 0 }))).lastSeq >= target || !ing.running(), 120_000);
      await nats.stop(i % 2 === 0);
      await new Promise((r) => setTimeout(r, rand(1000, 3000)));
      const before = (await cp.read()).seq;
      const restarted = Date.now();
      await nats.start();
      await until('the pipeline moves again', async () => (await cp.read()).seq > before || (!ing.running() && (await cp.read()).seq >= ref.head), 120_000);
      recoverMs = Math.max(recoverMs, Date.now() - restarted);
    }
    expect(await exitedWithin(ing, 90_000, [agg])).toBe(0);
    const state = await streamState(nats.url, names.stream);
    await until('aggregator reaches the stream head', async () => (await cp.read()).seq >= state.lastSeq || !agg.running(), 300_000);
    expect(agg.running()).toBe(true);
    await agg.stop();
    const diff = compareDumps(ref.dump, await dumpProjection(t.db, (await cp.read()).schema));
    reportOutcome({ scenario: 'nats-server stop + restart', runs: SCALE.natsRestarts + 1, lost: diff.lost, doubleCounted: diff.extra, recoverMs, note: `stream ${state.messages} msgs vs reference ${ref.head}` });
    expect(diff.tables).toEqual([]);
    expect(state.messages).toBe(ref.head);
  });

  it(`given its connections terminated ${SCALE.pgFaults}× mid-batch and the database closed for a while, then the aggregator recovers with nothing lost`, async () => {
    const t: TestDatabase = await createTestDatabase({ migrate: false });
    cleanup.push(() => t.drop());
    const cp = checkpointProbe(t.url);
    cleanup.push(() => cp.close());
    const dbName = new URL(t.url).pathname.slice(1);
    const admin = createDatabase({ url: adminUrl(), poolSize: 1, statementTimeoutMs: 0 });
    cleanup.push(() => admin.destroy());
    const terminate = () => sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`.execute(admin);
    // Small batches, so a termination lands inside a transaction. A supervisor (as compose's
    // restart policy does) starts the aggregator again if it exits; exits are counted and shown.
    const env = aggregateEnv(SHARED_NATS, t.url, ref.names, { AGGREGATOR_BATCH_SIZE: '50' });
    const sup = supervise(() => startAggregate(env));
    cleanup.push(() => sup.stop());
    let recoverMs = 0;
    let terminated = 0;
    const faults = SCALE.pgFaults + 1;
    for (let i = 1; i <= faults; i++) {
      const target = Math.floor((i * ref.head) / (faults + 1));
      await until(`checkpoint ${target}`, async () => (await cp.read()).seq >= target, 120_000);
      const before = (await cp.read()).seq;
      const at = Date.now();
      if (i === faults) {
        // Briefly unavailable: no new connections, every existing one cut.
        await sql`alter database ${sql.id(dbName)} allow_connections false`.execute(admin);
        terminated += (await terminate()).rows[0]?.n ?? 0;
        await new Promise((r) => setTimeout(r, 3000));
        await sql`alter database ${sql.id(dbName)} allow_connections true`.execute(admin);
      } else {
        terminated += (await terminate()).rows[0]?.n ?? 0;
      }
      await until('progress after the outage', async () => (await cp.read()).seq > before || (await cp.read()).seq >= ref.head, 120_000);
      recoverMs = Math.max(recoverMs, Date.now() - at);
    }
    await until('aggregator reaches the stream head', async () => (await cp.read()).seq >= ref.head, 300_000);
    await sup.stop();
    const diff = compareDumps(ref.dump, await dumpProjection(t.db, (await cp.read()).schema));
    reportOutcome({
      scenario: 'postgres terminated + unavailable',
      runs: faults,
      lost: diff.lost,
      doubleCounted: diff.extra,
      recoverMs,
      note: `${terminated} backends terminated, 3 s without connections, aggregator exits restarted by supervisor: ${sup.exits()}`,
    });
    expect(terminated).toBeGreaterThan(0);
    expect(diff.tables).toEqual([]);
  });

  // pg-pool takes its 'error' listener off a client while it is checked out; createDatabase
  // listens on every client itself, so a backend terminated mid-transaction fails that
  // transaction instead of killing the process with an unhandled 'error' event.
  it('given a transaction holding a connection, when that backend is terminated, then the process does not crash', async () => {
    const t: TestDatabase = await createTestDatabase({ migrate: false });
    cleanup.push(() => t.drop());
    const admin = createDatabase({ url: adminUrl(), poolSize: 1, statementTimeoutMs: 0 });
    cleanup.push(() => admin.destroy());
    const db = createDatabase({ url: t.url, poolSize: 1, statementTimeoutMs: 0 });
    cleanup.push(() => db.destroy());
    await expect(
      db.transaction().execute(async (trx) => {
        const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0].pid;
        await sql`select pg_terminate_backend(${pid})`.execute(admin);
        await new Promise((r) => setTimeout(r, 500));
        await sql`select 1`.execute(trx);
      }),
    ).rejects.toThrow();
    // The pool recovers: a new connection answers.
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0].one).toBe(1);
  });
});
