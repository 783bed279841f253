/**
 * The bulk load against the batch fold, on the real NATS and PostgreSQL: the fixtures, then a
 * second copy of a third of them in reverse file order (same entries under new message ids, as
 * a re-read file published after the duplicate window would be) and a message that is not JSON.
 * The batch fold builds the live projection; bulk loads of the same stream, with the default
 * number of sessions in memory and with only two (every session written out early, those fed
 * again folded from their stored entries), must produce the same rows.
 */
import { entrySubject, PROCESSOR_VERSION } from '@ccpulse/domain';
import { readCheckpoint } from '@ccpulse/db';
import pino from 'pino';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { startTestAggregator, testConfig, waitForLiveCheckpoint } from '../test-support/aggregator-harness';
import { dumpDifference, dumpProjection } from '../test-support/dump-projection';
import { corpora } from '../../../../libs/domain/src/test-support/corpora';
import { fixtureMessages } from '../test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { createTestStream, type TestStream } from '../test-support/test-stream';
import { BulkBuild } from './bulk-build';
/** Schema and consumer names follow PROCESSOR_VERSION, so a version bump needs no edit here. */
const LIVE = `usage_v${PROCESSOR_VERSION}`;


describe.each(corpora().map((c) => [c.name, c.dir] as const))('bulk build (%s transcripts)', (_, dir) => {
  let s: TestStream;
  let t: TestDatabase;
  let head: number;
  let batchBuild: Record<string, unknown[]>;

  beforeAll(async () => {
    s = await createTestStream();
    t = await createTestDatabase();
    const messages = fixtureMessages(dir, 'alice', s.prefix);
    const again = messages
      .slice(0, Math.floor(messages.length / 3))
      .reverse()
      .map((m) => ({ ...m, msgId: `${m.msgId}:again` }));
    const garbage = { subject: entrySubject('alice', 'garbage', s.prefix), msgId: 'garbage', data: Buffer.from('not json') };
    head = await s.publish([...messages, garbage, ...again]);
    const live = await startTestAggregator(testConfig(t, s));
    try {
      await waitForLiveCheckpoint(live, head, 240_000);
    } finally {
      await live.close();
    }
    batchBuild = await dumpProjection(t.db, LIVE);
  }, 300_000);

  afterAll(async () => {
    await t?.drop();
    await s?.drop();
  });

  async function bulkInto(schema: string, sessionsInMemory?: number): Promise<number> {
    const config = testConfig(t, s);
    const build = new BulkBuild(
      {
        db: t.db,
        databaseUrl: config.databaseUrl,
        js: s.js,
        jsm: s.jsm,
        stream: s.stream,
        metrics: new AggregatorMetrics({ defaults: false }),
        logger: pino({ level: 'silent' }),
        ...(sessionsInMemory ? { sessionsInMemory } : {}),
      },
      { schema, consumer: `bulk-test-${schema}`, processorVersion: PROCESSOR_VERSION },
      new AbortController().signal,
    );
    const reached = await build.run();
    expect(build.progress.read).toBe(head);
    return reached;
  }

  it('loads the stream to its head and equals the batch fold', async () => {
    expect(await bulkInto(`${LIVE}_r1`)).toBe(head);
    expect((await readCheckpoint(t.db, `bulk-test-${LIVE}_r1`))?.lastSeq).toBe(head);
    const bulk = await dumpProjection(t.db, `${LIVE}_r1`);
    expect(dumpDifference(bulk, batchBuild)).toEqual([]);
    expect(bulk.rejected_entries).toHaveLength((batchBuild.rejected_entries as unknown[]).length);
    expect((bulk.usage_session_summary as unknown[]).length).toBeGreaterThan(0);
  }, 120_000);

  it('equals it too with only two sessions in memory', async () => {
    await bulkInto(`${LIVE}_r2`, 2);
    expect(dumpDifference(await dumpProjection(t.db, `${LIVE}_r2`), batchBuild)).toEqual([]);
  }, 120_000);
});
