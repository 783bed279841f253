/**
 * The aggregator on the real NATS JetStream and PostgreSQL: the shared fixtures published to a
 * throwaway stream fold into the oracle's numbers, and lost checkpoints, failed transactions and
 * different batch boundaries leave the identical database.
 */
import * as fs from 'node:fs';
import { PROCESSOR_VERSION } from '@ccpulse/domain';
import * as path from 'node:path';
import { sql } from 'kysely';
import type { FoldFn } from './projection/projection-runner';
import { applyBatch } from './fold/apply-batch';
import { deleteDurableConsumer } from './stream/durable-consumer';
import { startTestAggregator, testConfig, waitFor, waitForLiveCheckpoint } from './test-support/aggregator-harness';
import { dumpDifference, dumpProjection } from './test-support/dump-projection';
import { corpora } from '../../../libs/domain/src/test-support/corpora';
import { fixtureMessages } from './test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from './test-support/test-database';
import { createTestStream, type TestStream } from './test-support/test-stream';

/** Schema and consumer names follow PROCESSOR_VERSION, so a version bump needs no edit here. */
const LIVE = `usage_v${PROCESSOR_VERSION}`;
const CONSUMER = `aggregator-v${PROCESSOR_VERSION}`;


describe.each(corpora().map((c) => [c.name, c.dir] as const))('ccpulse aggregate on the real transcripts (%s transcripts)', (_, dir) => {
  let s: TestStream;
  let head: number;
  let reference: Record<string, unknown[]>;
  const dbs: TestDatabase[] = [];

  beforeAll(async () => {
    s = await createTestStream();
    head = await s.publish(fixtureMessages(dir, 'alice', s.prefix));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(dbs.map((t) => t.drop()));
    await s?.drop();
  });

  it('folds the stream into the oracle totals and publishes change notices', async () => {
    const t = await createTestDatabase({ migrate: false });
    dbs.push(t);
    const notices = s.nc.subscribe(`${s.prefix}.updated.>`);
    let noticeCount = 0;
    const syncNotices: { subject: string; body: Record<string, unknown> }[] = [];
    void (async () => {
      for await (const m of notices) {
        noticeCount++;
        const body = m.json<Record<string, unknown>>();
        if (body.syncOnly) syncNotices.push({ subject: m.subject, body });
      }
    })();
    const a = await startTestAggregator(testConfig(t, s));
    try {
      const schema = await waitForLiveCheckpoint(a, head);
      expect(schema).toBe(LIVE);
      const oracle = JSON.parse(fs.readFileSync(path.join(dir, 'expected', 'oracle.json'), 'utf8'));
      const rows = await sql<{ day: string; model: string; input: string; output: string; cr: string; cc: string }>`
        select to_char(hour at time zone 'UTC', 'YYYY-MM-DD') as day, model, sum(input_tokens) as input,
          sum(output_tokens) as output, sum(cache_read_tokens) as cr, sum(cache_creation_tokens) as cc
        from ${sql.raw(LIVE)}.usage_model_hourly group by 1, 2`.execute(t.db);
      const got = Object.fromEntries(rows.rows.map((r) => [`${r.day} ${r.model}`, [r.input, r.output, r.cr, r.cc].map(Number)]));
      const want = Object.fromEntries(
        Object.entries(oracle.daily as Record<string, Record<string, Record<string, number>>>).flatMap(([day, models]) =>
          Object.entries(models).map(([model, v]) => [`${day} ${model}`, [v.input, v.output, v.cacheRead, v.cacheCreation]]),
        ),
      );
      expect(got).toEqual(want);
      const sessions = await t.db.withSchema(LIVE).selectFrom('usage_session_summary').select('session_id').execute();
      expect(sessions.map((r) => r.session_id).sort()).toEqual(Object.keys(oracle.sessions).sort());
      const rejected = await t.db.withSchema(LIVE).selectFrom('rejected_entries').selectAll().execute();
      expect(rejected).toHaveLength(oracle.rejected);
      const metrics = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_aggregator_rejected_total');
      expect(metrics).toContain(`reason="malformed_json"} ${oracle.rejected}`);
      expect(noticeCount).toBeGreaterThan(0);

      // An ingestor heartbeat moves the user's last sync.
      const at = '2026-11-26T10:00:00.000Z';
      s.nc.publish(`${s.prefix}.heartbeat.alice`, JSON.stringify({ v: 1, user: 'alice', host: 'h1', version: 'x', filesTracked: 3, lagBytes: 0, at }));
      await waitFor('heartbeat recorded', async () => {
        const u = await t.db.withSchema('public').selectFrom('users').select('last_sync_at').where('name', '=', 'alice').executeTakeFirst();
        return u?.last_sync_at?.toISOString() === at;
      }, 10_000);
      // …and tells the API so, with a notice that changes no rows.
      await waitFor('the sync-only notice', async () => syncNotices.length > 0, 10_000);
      expect(syncNotices[0]).toEqual({ subject: `${s.prefix}.updated.alice._`, body: expect.objectContaining({ user: 'alice', sessions: [], days: [], syncOnly: true }) });
      reference = await dumpProjection(t.db, LIVE);
    } finally {
      notices.unsubscribe();
      await a.close();
    }
  }, 180_000);

  it('gives the identical database through failed transactions, other batch sizes and a lost checkpoint', async () => {
    const t = await createTestDatabase({ migrate: false });
    dbs.push(t);
    let calls = 0;
    // Every third transaction fails after writing everything (a commit that never happens).
    const flaky: FoldFn = async (trx, target, messages, rejects, checkpoint) => {
      const result = await applyBatch(trx, target, messages, rejects, checkpoint);
      if (++calls % 3 === 0) throw Object.assign(new Error('connection lost before commit'), { code: 'ECONNRESET' });
      return result;
    };
    // Runs of lines make few messages: batches of two make many transactions.
    const config = testConfig(t, s, { AGGREGATOR_BATCH_SIZE: '2', AGGREGATOR_BATCH_MS: '5' });
    let a = await startTestAggregator(config, flaky);
    try {
      await waitForLiveCheckpoint(a, head);
      const metric = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_aggregator_db_retries_total');
      expect(Number(/ (\d+)$/m.exec(metric)?.[1])).toBeGreaterThan(0);
      expect(dumpDifference(await dumpProjection(t.db, LIVE), reference)).toEqual([]);
    } finally {
      await a.close();
    }
    // Lose the checkpoint and the consumer: everything is delivered again and changes nothing.
    await t.db.withSchema('public').deleteFrom('projection_checkpoints').execute();
    await deleteDurableConsumer(s.jsm, s.stream, CONSUMER);
    a = await startTestAggregator(testConfig(t, s, { AGGREGATOR_BATCH_SIZE: '1000' }));
    try {
      await waitForLiveCheckpoint(a, head);
      const dump = await dumpProjection(t.db, LIVE);
      expect(dumpDifference(dump, reference)).toEqual([]);
      expect(dump).toEqual(reference);
    } finally {
      await a.close();
    }
  }, 300_000);
});
