/**
 * A rebuild whose bulk load cannot load the stream: one entry carries a NUL character, which
 * PostgreSQL refuses in `jsonb`. The COPY fails with a data error, the schema is emptied, and
 * the batch fold builds it from sequence 1 instead, recording that message as `apply_failed`
 * exactly as the live projection did. The rebuilt projection equals the live one.
 */
import { readProjectionState } from '@ccpulse/db';
import { PROCESSOR_VERSION } from '@ccpulse/domain';
import { sql } from 'kysely';
import type { RunningAggregator } from '../main';
import { opsRequest } from '../ops/ops.client';
import { startTestAggregator, testConfig, waitFor, waitForLiveCheckpoint } from '../test-support/aggregator-harness';
import { dumpDifference, dumpProjection } from '../test-support/dump-projection';
import { fixtureMessages, fixturesDir, type TestMessage } from '../test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { createTestStream, type TestStream } from '../test-support/test-stream';

/** Schema and consumer names follow PROCESSOR_VERSION, so a version bump needs no edit here. */
const LIVE = `usage_v${PROCESSOR_VERSION}`;

const dir = fixturesDir();
const d = dir ? describe : describe.skip;

/** A copy of `m` (under a new id) whose entry's cwd holds a NUL character. */
function withNul(m: TestMessage): TestMessage {
  const envelope = JSON.parse(Buffer.from(m.data).toString('utf8'));
  envelope.entry.cwd = 'nul\u0000here';
  envelope.offset += 1_000_000_000;
  delete envelope.entry.uuid;
  return { subject: m.subject, msgId: `${m.msgId}:nul`, data: Buffer.from(JSON.stringify(envelope)) };
}

d('bulk load fallback', () => {
  let s: TestStream;
  let t: TestDatabase;
  let a: RunningAggregator | undefined;

  beforeAll(async () => {
    s = await createTestStream();
    t = await createTestDatabase();
  });

  afterAll(async () => {
    await a?.close().catch(() => undefined);
    await t?.drop();
    await s?.drop();
  });

  it('hands a stream it cannot load to the batch fold, which records the faulty message', async () => {
    const messages = fixtureMessages(dir!, 'alice', s.prefix);
    const head = await s.publish([...messages.slice(0, 400), withNul(messages[1]), ...messages.slice(400)]);
    a = await startTestAggregator(testConfig(t, s));
    await waitForLiveCheckpoint(a, head, 240_000);
    const live = await dumpProjection(t.db, LIVE);
    const rejected = await sql<{ reason: string }>`select reason from ${sql.raw(LIVE)}.rejected_entries where stream_seq = 401`.execute(t.db);
    expect(rejected.rows).toEqual([{ reason: 'apply_failed' }]);

    await opsRequest(s.nc, `${s.prefix}.ops`, 'replay.start');
    await waitFor(`${LIVE}_r1 live`, async () => (await readProjectionState(t.db)).liveSchema === `${LIVE}_r1`, 240_000);
    await waitForLiveCheckpoint(a, head);
    expect(dumpDifference(await dumpProjection(t.db, `${LIVE}_r1`), live)).toEqual([]);
    const loads = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_aggregator_bulk_loads_total');
    expect(loads).toContain('ccpulse_aggregator_bulk_loads_total{outcome="fallback"} 1');
  }, 400_000);
});
