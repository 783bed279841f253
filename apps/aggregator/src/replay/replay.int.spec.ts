/**
 * Rebuilds on the real NATS and PostgreSQL: a processor-version bump builds a shadow schema from
 * stream sequence 1 while the old one keeps answering, swaps exactly once (two new aggregators
 * started together), retires the old consumer and schema; an ops rebuild at the same version does
 * the same into `usage_v<N>_r<k>`. Each rebuilt projection equals the first build.
 */
import { readProjectionState } from '@ccpulse/db';
import { PROCESSOR_VERSION } from '@ccpulse/domain';
import { sql } from 'kysely';
import type { RunningAggregator } from '../main';
import { consumerStatus } from '../ops/consumer-status';
import { applyBatch } from '../fold/apply-batch';
import type { FoldFn } from '../projection/projection-runner';
import { opsRequest } from '../ops/ops.client';
import { startTestAggregator, testConfig, waitFor, waitForLiveCheckpoint } from '../test-support/aggregator-harness';
import { dumpDifference, dumpProjection } from '../test-support/dump-projection';
import { corpora } from '../../../../libs/domain/src/test-support/corpora';
import { fixtureMessages } from '../test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { createTestStream, type TestStream } from '../test-support/test-stream';
/** Schema and consumer names follow PROCESSOR_VERSION, so a version bump needs no edit here. */
const LIVE = `usage_v${PROCESSOR_VERSION}`;
const NEXT = `usage_v${PROCESSOR_VERSION + 1}`;
const NEXT_CONSUMER = `aggregator-v${PROCESSOR_VERSION + 1}`;


/** A dump without the column that names the processor version (it differs by design). */
async function contentOf(t: TestDatabase, schema: string) {
  const dump = await dumpProjection(t.db, schema);
  dump.usage_session_summary = dump.usage_session_summary.map((r) => ({ ...(r as object), processor_version: 0 }));
  return dump;
}

async function swapsOf(a: RunningAggregator): Promise<number> {
  const text = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_aggregator_projection_swaps_total');
  return Number(/ (\d+)$/m.exec(text)?.[1] ?? 0);
}

describe.each(corpora().map((c) => [c.name, c.dir] as const))('projection rebuilds (%s transcripts)', (_, dir) => {
  let s: TestStream;
  let t: TestDatabase;
  let head: number;
  /** The projection the first aggregator built in place, batch by batch. */
  let firstBuild: Awaited<ReturnType<typeof contentOf>>;
  const running: RunningAggregator[] = [];

  beforeAll(async () => {
    s = await createTestStream();
    t = await createTestDatabase();
    head = await s.publish(fixtureMessages(dir, 'alice', s.prefix));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((a) => a.close().catch(() => undefined)));
    await t?.drop();
    await s?.drop();
  });

  it('builds a newer version in a shadow schema, keeps serving the old one, swaps once and retires it', async () => {
    const v1 = await startTestAggregator(testConfig(t, s));
    running.push(v1);
    await waitForLiveCheckpoint(v1, head);
    firstBuild = await contentOf(t, LIVE);

    // Two aggregators of version 2 start together: one builds, the other stands by.
    const v2 = await Promise.all([startTestAggregator(testConfig(t, s, { CCPULSE_PROCESSOR_VERSION_OVERRIDE: String(PROCESSOR_VERSION + 1) })), startTestAggregator(testConfig(t, s, { CCPULSE_PROCESSOR_VERSION_OVERRIDE: String(PROCESSOR_VERSION + 1) }))]);
    running.push(...v2);
    let answeredDuringBuild = 0;
    let sawBuilding = false;
    await waitFor(`version ${PROCESSOR_VERSION + 1} live`, async () => {
      const state = await readProjectionState(t.db);
      if (state.liveSchema === LIVE) {
        // The API's reads keep working against the old schema while the shadow fills.
        const r = await sql<{ n: string }>`select count(*) as n from ${sql.raw(LIVE)}.usage_session_summary`.execute(t.db);
        if (Number(r.rows[0].n) === Object.keys(firstBuild.usage_session_summary).length) answeredDuringBuild++;
        sawBuilding ||= state.buildingSchema === NEXT;
      }
      return state.liveSchema === NEXT;
    }, 180_000);
    expect(answeredDuringBuild).toBeGreaterThan(0);
    expect(sawBuilding).toBe(true);
    const leader = v2.find((a) => a.runtime.coordinator?.role === 'leader')!;
    const standby = v2.find((a) => a !== leader)!;
    expect(standby.runtime.coordinator?.role).toBe('standby');
    await waitForLiveCheckpoint(leader, head);
    expect((await swapsOf(leader)) + (await swapsOf(standby))).toBe(1);
    const loads = await leader.runtime.metrics.registry.getSingleMetricAsString('ccpulse_aggregator_bulk_loads_total');
    expect(loads).toContain('ccpulse_aggregator_bulk_loads_total{outcome="done"} 1');

    // The old version notices it is outdated; its consumer and schema are gone.
    await waitFor('v1 outdated', () => v1.runtime.coordinator?.role === 'outdated', 30_000);
    const schemas = await sql<{ nspname: string }>`select nspname from pg_namespace where nspname like 'usage_v%' order by 1`.execute(t.db);
    expect(schemas.rows.map((r) => r.nspname)).toEqual([NEXT]);
    const consumers: string[] = [];
    for await (const c of s.jsm.consumers.list(s.stream)) consumers.push(c.name);
    expect(consumers).toEqual([NEXT_CONSUMER]);

    expect(dumpDifference(await contentOf(t, NEXT), firstBuild)).toEqual([]);
  }, 300_000);

  it('given no projection yet and a backlog, builds it with the bulk load and makes it live at the head, equal to the in-place build', async () => {
    const cold = await createTestDatabase();
    const a = await startTestAggregator(testConfig(cold, s, { AGGREGATOR_COLD_BULK_MB: '0' }));
    try {
      await waitFor('the cold build', async () => (await readProjectionState(cold.db)).buildingSchema === LIVE || (await readProjectionState(cold.db)).liveSchema === LIVE, 30_000);
      expect(await waitForLiveCheckpoint(a, head, 180_000)).toBe(LIVE);
      const loads = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_aggregator_bulk_loads_total');
      expect(loads).toContain('ccpulse_aggregator_bulk_loads_total{outcome="done"} 1');
      expect(await swapsOf(a)).toBe(1);
      expect(dumpDifference(await contentOf(cold, LIVE), firstBuild)).toEqual([]);
    } finally {
      await a.close();
      await cold.drop();
    }
  }, 300_000);

  it('given a live projection that falls far behind (a backfill pouring in), rebuilds it by the bulk load and swaps, equal to the in-place build', async () => {
    const fresh = await createTestStream();
    const db = await createTestDatabase();
    // A slow batch fold, so the projection is still behind when the coordinator looks (every second).
    const slowFold: FoldFn = async (...args) => {
      await new Promise((r) => setTimeout(r, 200));
      return applyBatch(...args);
    };
    const a = await startTestAggregator(testConfig(db, fresh, { AGGREGATOR_COLD_BULK_MB: '0', AGGREGATOR_BATCH_SIZE: '5' }), slowFold);
    try {
      await waitFor('the empty projection live in place', async () => (await readProjectionState(db.db)).liveSchema === LIVE, 30_000);
      const freshHead = await fresh.publish(fixtureMessages(dir, 'alice', fresh.prefix));
      expect(await waitForLiveCheckpoint(a, freshHead, 180_000)).toBe(`${LIVE}_r1`);
      expect(await swapsOf(a)).toBe(1);
      expect(dumpDifference(await contentOf(db, `${LIVE}_r1`), firstBuild)).toEqual([]);
    } finally {
      await a.close();
      await db.drop();
      await fresh.drop();
    }
  }, 300_000);

  it('rebuilds at the same version on an ops request and reports progress and lag', async () => {
    const leader = running.find((a) => a.runtime.coordinator?.role === 'leader' && a.runtime.config.processorVersion === PROCESSOR_VERSION + 1)!;
    const before = await contentOf(t, NEXT);
    const ops = `${s.prefix}.ops`;
    const started = await opsRequest<{ schema: string; consumer: string }>(s.nc, ops, 'replay.start');
    expect(started).toMatchObject({ schema: `${NEXT}_r1`, consumer: `${NEXT_CONSUMER}-r1` });
    const status = await opsRequest<{ building: { schema: string } | null }>(s.nc, ops, 'replay.status');
    expect(status.building?.schema ?? `${NEXT}_r1`).toBe(`${NEXT}_r1`);
    await waitFor(`${NEXT}_r1 live`, async () => (await readProjectionState(t.db)).liveSchema === `${NEXT}_r1`, 180_000);
    await waitForLiveCheckpoint(leader, head);
    const lag = await consumerStatus(s.jsm, s.stream, leader.runtime.coordinator!);
    expect(lag.consumers).toEqual([expect.objectContaining({ consumer: `${NEXT_CONSUMER}-r1`, lag: 0, checkpoint: head })]);
    const viaOps = await opsRequest<{ streamHead: number }>(s.nc, ops, 'consumer.status');
    expect(viaOps.streamHead).toBe(head);
    expect(dumpDifference(await contentOf(t, `${NEXT}_r1`), before)).toEqual([]);
    const schemas = await sql<{ nspname: string }>`select nspname from pg_namespace where nspname like 'usage_v%' order by 1`.execute(t.db);
    expect(schemas.rows.map((r) => r.nspname)).toEqual([`${NEXT}_r1`]);
  }, 300_000);
});
