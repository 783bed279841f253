/**
 * Crashes during a backfill: the aggregator, the ingestor, and both at once are SIGKILLed at
 * random points and restarted; each run must end with the reference run's exact projection.
 */
import { dumpProjection } from '../../apps/aggregator/src/test-support/dump-projection';
import { createTestDatabase, type TestDatabase } from '../../apps/aggregator/src/test-support/test-database';
import { compareDumps, reportOutcome } from './support/fault-report';
import { FULL, SCALE } from './support/fault-scale';
import {
  SHARED_NATS,
  aggregateEnv,
  deleteNatsNames,
  ingestEnv,
  checkpointProbe,
  rand,
  runNames,
  startAggregate,
  startIngest,
  streamLineIds,
  streamState,
  type RunNames,
} from './support/pipeline';
import { until } from '../support/until';
import type { ChildApp } from './support/child-app';
import { aggregateAndDump, referenceRun, type Reference } from './support/reference-run';
import { writeWorkload, type Workload } from './support/workload';

jest.setTimeout(FULL ? 3_600_000 : 240_000);

describe('crash recovery during a backfill', () => {
  let w: Workload;
  let ref: Reference;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    w = writeWorkload({ seed: 1010, sessions: SCALE.sessions, turns: SCALE.turns });
    ref = await referenceRun(w.root);
  });
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    await ref?.dispose();
    w?.remove();
  });

  /** Kill targets spread over (0, total), each jittered, increasing. */
  const targets = (total: number, kills: number): number[] =>
    Array.from({ length: kills }, (_, i) => Math.max(1, Math.floor(((i + 1) * total) / (kills + 1)) + rand(-total / (4 * (kills + 1)), total / (4 * (kills + 1)))));

  it(`given ${SCALE.kills} SIGKILLs of the aggregator during the backfill, then nothing is lost or counted twice`, async () => {
    expect(w.lines).toBeGreaterThanOrEqual(FULL ? 100_000 : 1_500);
    const t: TestDatabase = await createTestDatabase({ migrate: false });
    cleanup.push(() => t.drop());
    const cp = checkpointProbe(t.url);
    cleanup.push(() => cp.close());
    const env = aggregateEnv(SHARED_NATS, t.url, ref.names, { AGGREGATOR_BATCH_SIZE: FULL ? '500' : '20' });
    let runs = 0;
    let recoverMs = 0;
    const killedSeqs: number[] = [];
    for (const target of targets(ref.head, SCALE.kills)) {
      const before = (await cp.read()).seq;
      const started = Date.now();
      const a = startAggregate(env);
      runs++;
      await until(`aggregator progress past ${before}`, async () => (await cp.read()).seq > before || !a.running(), 120_000);
      if (!a.running()) throw new Error(`aggregator exited:\n${a.output()}`);
      if (runs > 1) recoverMs = Math.max(recoverMs, Date.now() - started);
      await until(`checkpoint ${target}`, async () => (await cp.read()).seq >= Math.max(target, before + 1) || !a.running(), 120_000);
      await new Promise((r) => setTimeout(r, rand(0, 40)));
      await a.kill();
      killedSeqs.push((await cp.read()).seq);
    }
    const a = startAggregate(env);
    runs++;
    const started = Date.now();
    const before = (await cp.read()).seq;
    await until('aggregator reaches the stream head', async () => (await cp.read()).seq >= ref.head || !a.running(), 600_000);
    if (before < ref.head) recoverMs = Math.max(recoverMs, Date.now() - started);
    expect(a.running()).toBe(true);
    await a.stop();
    const dump = await dumpProjection(t.db, (await cp.read()).schema);
    const diff = compareDumps(ref.dump, dump);
    reportOutcome({ scenario: 'aggregator SIGKILL mid-backfill', runs, lost: diff.lost, doubleCounted: diff.extra, recoverMs, note: `${w.lines} lines, ${ref.rows} rows, killed at seq ${killedSeqs.join(',')}` });
    expect(diff.tables).toEqual([]);
    expect(new Set(killedSeqs).size).toBeGreaterThan(1);
  });

  it(`given ${SCALE.kills} SIGKILLs of the ingestor during the backfill, then the stream holds every line once`, async () => {
    const names: RunNames = runNames('ing');
    cleanup.push(() => deleteNatsNames(SHARED_NATS, names));
    const env = ingestEnv(SHARED_NATS, names, { INGEST_PUBLISH_WINDOW: '256' });
    let runs = 0;
    let recoverMs = 0;
    const killedAt: number[] = [];
    for (const target of targets(ref.head, SCALE.kills)) {
      const before = (await streamState(SHARED_NATS, names.stream)).lastSeq;
      const started = Date.now();
      const p = startIngest(w.root, env, true);
      runs++;
      await until(`ingest progress past ${before}`, async () => (await streamState(SHARED_NATS, names.stream)).lastSeq > before || !p.running(), 120_000);
      if (runs > 1) recoverMs = Math.max(recoverMs, Date.now() - started);
      await until(`stream at ${target}`, async () => (await streamState(SHARED_NATS, names.stream)).lastSeq >= target || !p.running(), 120_000);
      await p.kill();
      killedAt.push((await streamState(SHARED_NATS, names.stream)).lastSeq);
    }
    const p = startIngest(w.root, env, true);
    runs++;
    expect(await p.exited).toBe(0);
    const state = await streamState(SHARED_NATS, names.stream);
    const dump = await aggregateAndDump(SHARED_NATS, names, state.lastSeq);
    const diff = compareDumps(ref.dump, dump);
    reportOutcome({ scenario: 'ingestor SIGKILL mid-backfill', runs, lost: diff.lost, doubleCounted: diff.extra, recoverMs, note: `stream ${state.messages} msgs vs reference ${ref.head}; killed at ${killedAt.join(',')}` });
    expect(diff.tables).toEqual([]);
    // Every line of the reference is in the stream (re-reads after a crash republish the same
    // runs under the same ids, which the duplicate window drops; a run cut differently carries
    // its lines again, which the aggregator's keys drop).
    expect(new Set(await streamLineIds(SHARED_NATS, names.stream))).toEqual(new Set(await streamLineIds(SHARED_NATS, ref.names.stream)));
  });

  it(`given ingestor and aggregator SIGKILLed together ${SCALE.kills} times, then the projection equals the reference`, async () => {
    const names: RunNames = runNames('both');
    cleanup.push(() => deleteNatsNames(SHARED_NATS, names));
    const t: TestDatabase = await createTestDatabase({ migrate: false });
    cleanup.push(() => t.drop());
    const cp = checkpointProbe(t.url);
    cleanup.push(() => cp.close());
    const iEnv = ingestEnv(SHARED_NATS, names, { INGEST_PUBLISH_WINDOW: '256' });
    const aEnv = aggregateEnv(SHARED_NATS, t.url, names, { AGGREGATOR_BATCH_SIZE: FULL ? '500' : '20' });
    let runs = 0;
    let recoverMs = 0;
    let ing: ChildApp | undefined;
    let agg: ChildApp | undefined;
    for (const target of targets(ref.head, SCALE.kills)) {
      const before = (await cp.read()).seq;
      const started = Date.now();
      ing = startIngest(w.root, iEnv, true);
      agg = startAggregate(aEnv);
      runs++;
      await until(`progress past ${before}`, async () => (await cp.read()).seq > before || !agg!.running(), 120_000);
      if (runs > 1) recoverMs = Math.max(recoverMs, Date.now() - started);
      await until(`stream at ${target}`, async () => (await streamState(SHARED_NATS, names.stream)).lastSeq >= target || !ing!.running(), 120_000);
      await new Promise((r) => setTimeout(r, rand(0, 200)));
      await Promise.all([ing.kill(), agg.kill()]);
    }
    ing = startIngest(w.root, iEnv, true);
    agg = startAggregate(aEnv);
    runs++;
    expect(await ing.exited).toBe(0);
    const state = await streamState(SHARED_NATS, names.stream);
    await until('aggregator reaches the stream head', async () => (await cp.read()).seq >= state.lastSeq || !agg!.running(), 600_000);
    await agg.stop();
    const dump = await dumpProjection(t.db, (await cp.read()).schema);
    const diff = compareDumps(ref.dump, dump);
    reportOutcome({ scenario: 'ingestor + aggregator SIGKILL together', runs, lost: diff.lost, doubleCounted: diff.extra, recoverMs, note: `stream ${state.messages} msgs` });
    expect(diff.tables).toEqual([]);
    expect(new Set(await streamLineIds(SHARED_NATS, names.stream))).toEqual(new Set(await streamLineIds(SHARED_NATS, ref.names.stream)));
  });
});
